// POST /api/projects/:slug/models — multipart: version, model (name), datasetId, and either the
// model files (an .onnx file, an XGBoost .json, or model.json + weights; alone or zipped) with
// assay.model.json or a `manifest` field (its JSON text), or scoreColumn (+ probability).

import { withApi } from "@/lib/auth/api";
import { declareScoreVersion, uploadModelVersion } from "@/lib/services/models";
import { readMultipart } from "@/lib/http/body";
import { modelUploadLimits } from "@/lib/http/limits";

export const runtime = "nodejs";

export const POST = withApi<{ slug: string }>("upload", async (req, { actor, params }) => {
  const form = await readMultipart(req, modelUploadLimits());
  const meta = { model: form.text("model"), version: form.text("version") ?? "", datasetId: form.text("datasetId") ?? "" };
  const scoreColumn = form.text("scoreColumn");
  const manifest = form.text("manifest");
  const { id } = scoreColumn
    ? await declareScoreVersion(actor, { projectSlug: params.slug, meta: { ...meta, scoreColumn, probability: form.text("probability") === "true" } })
    : await uploadModelVersion(actor, {
        projectSlug: params.slug,
        meta,
        ...(manifest ? { manifest } : {}),
        files: form.filesOf("files").map((f) => ({ name: f.name, data: f.data })),
      });
  return Response.json({ id, url: `/projects/${params.slug}` }, { status: 201 });
});
