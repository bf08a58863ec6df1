import Link from "next/link";
import { getActor } from "@/lib/auth/session";
import { ROLE_LABELS } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

const NEEDS: Record<string, string> = {
  upload: "upload datasets and models",
  run_audit: "run or cancel audits",
  manage_projects: "create projects",
  manage_users: "manage users",
  comment: "comment",
};

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  const actor = await getActor();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Not allowed</h1>
        <p>
          {actor ? `You are signed in as ${actor.email} (${ROLE_LABELS[actor.role]}). ` : ""}
          Your role may not {NEEDS[need ?? ""] ?? "open this page"}. Ask an admin to change your role.
        </p>
        <p>
          <Link href="/">Back to projects</Link>
        </p>
      </div>
    </main>
  );
}
