import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { getProjectWithColumnsOrThrow } from "@/lib/services/projects";
import { normalizeProfile } from "@/lib/services/datasets";
import { getEnv } from "@/lib/env";
import { ModelUploadForm } from "./model-upload-form";
import { orNotFound } from "../../../../_components/or-not-found";

export const dynamic = "force-dynamic";

export default async function NewModelPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("upload", `/projects/${slug}/models/new`);
  const p = await orNotFound(getProjectWithColumnsOrThrow(actor, slug));
  const datasets = p.datasets.map((d) => ({
    id: d.id,
    name: d.name,
    numeric: normalizeProfile(d.columns).columns.filter((c) => c.type !== "categorical").map((c) => ({ name: c.name, min: c.min ?? null, max: c.max ?? null })),
  }));
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{p.name}</Link> /
      </p>
      <h1>Add a model version</h1>
      <p className="muted">
        An ONNX file (from skl2onnx, onnxmltools or <code>torch.onnx.export</code>), an XGBoost model saved with <code>save_model(&quot;model.json&quot;)</code>, or a
        TensorFlow.js LayersModel (<code>model.json</code> and its weights): as separate files or one zip, up to {(getEnv().ASSAY_MAX_MODEL_BYTES / 1024 / 1024).toFixed(0)} MB.
        Assay reads the model&apos;s inputs and outputs and proposes its manifest (<code>assay.model.json</code>: how the dataset&apos;s columns become the model&apos;s
        inputs) for you to check; then it loads the model and scores the first rows of the dataset before keeping it. For a vendor model you only have scores for,
        declare the score column instead.
      </p>
      {datasets.length === 0 ? (
        <p className="empty">
          Upload a dataset first: the model is checked on it. <Link href={`/projects/${slug}/datasets/new`}>Upload a dataset</Link>
        </p>
      ) : (
        <ModelUploadForm projectSlug={slug} projectName={p.name} datasets={datasets} nextVersion={`v${p.models.reduce((s, m) => s + m.versions.length, 0) + 1}`} />
      )}
    </>
  );
}
