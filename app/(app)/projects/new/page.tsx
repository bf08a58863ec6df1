import { requirePermission } from "@/lib/auth/session";
import { NewProjectForm } from "./new-project-form";

export const dynamic = "force-dynamic";

export default async function NewProjectPage() {
  await requirePermission("manage_projects", "/projects/new");
  return (
    <>
      <h1>New project</h1>
      <p className="muted">One project per decision system: its model versions and the datasets you audit them on.</p>
      <NewProjectForm />
    </>
  );
}
