// POST /api/projects/:slug/models — multipart: version, model (name), datasetId, and either the
// model files (an .onnx file, an XGBoost .json, or model.json + weights; alone or zipped) with
// assay.model.json or a `manifest` field (its JSON text), or scoreColumn (+ probability).

import { withApi } from "@/lib/auth/api";
import { declareScoreVersion, uploadModelVersion } from "@/lib/services/models";

export const runtime = "nodejs";

export const POST = withApi<{ slug: string }>("upload", async (req, { actor, params }) => {
  const form = await req.formData();
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const meta = { model: text("model"), version: text("version") ?? "", datasetId: text("datasetId") ?? "" };
  const scoreColumn = text("scoreColumn");
  const { id } = scoreColumn
    ? await declareScoreVersion(actor, { projectSlug: params.slug, meta: { ...meta, scoreColumn, probability: text("probability") === "true" } })
    : await uploadModelVersion(actor, {
        projectSlug: params.slug,
        meta,
        ...(text("manifest") ? { manifest: text("manifest") } : {}),
        files: await Promise.all(form.getAll("files").filter((f): f is File => f instanceof File).map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) }))),
      });
  return Response.json({ id, url: `/projects/${params.slug}` }, { status: 201 });
});
