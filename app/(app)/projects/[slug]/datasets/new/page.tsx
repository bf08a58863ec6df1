import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { DatasetUploadForm } from "./dataset-upload-form";
import { getProjectName } from "@/lib/services/projects";
import { orNotFound } from "../../../../_components/or-not-found";

export const dynamic = "force-dynamic";

export default async function NewDatasetPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("upload", `/projects/${slug}/datasets/new`);
  const name = await orNotFound(getProjectName(actor, slug));
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{name}</Link> /
      </p>
      <h1>Upload a dataset</h1>
      <p className="muted">
        A CSV file with a header row (UTF-8, comma-separated, quoted fields allowed), up to {(getEnv().ASSAY_MAX_DATASET_BYTES / 1024 / 1024).toFixed(0)} MB. It is checked as a whole:
        if any row is malformed, nothing is kept and you see the line and column.
      </p>
      <DatasetUploadForm projectSlug={slug} />
    </>
  );
}
