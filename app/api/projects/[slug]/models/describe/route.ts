// POST /api/projects/:slug/models/describe — multipart: datasetId and the model files (an .onnx
// file, an XGBoost .json, a TF.js model.json with weights, or one zip). Says what the model is
// and returns the manifest to review: the uploaded assay.model.json, or one proposed from the
// dataset. Nothing is stored.

import { withApi } from "@/lib/auth/api";
import { describeModelUpload } from "@/lib/services/models";

export const runtime = "nodejs";

export const POST = withApi<{ slug: string }>("upload", async (req, { actor, params }) => {
  const form = await req.formData();
  const datasetId = form.get("datasetId");
  const files = await Promise.all(form.getAll("files").filter((f): f is File => f instanceof File).map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
  return Response.json(await describeModelUpload(actor, { projectSlug: params.slug, datasetId: typeof datasetId === "string" ? datasetId : "", files }));
});
