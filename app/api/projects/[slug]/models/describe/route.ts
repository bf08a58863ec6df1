// POST /api/projects/:slug/models/describe — multipart: datasetId and the model files (an .onnx
// file, an XGBoost .json, a TF.js model.json with weights, or one zip). Says what the model is
// and returns the manifest to review: the uploaded assay.model.json, or one proposed from the
// dataset. Nothing is stored.

import { withApi } from "@/lib/auth/api";
import { describeModelUpload } from "@/lib/services/models";
import { readMultipart } from "@/lib/http/body";
import { modelUploadLimits } from "@/lib/http/limits";

export const runtime = "nodejs";

export const POST = withApi<{ slug: string }>("upload", async (req, { actor, params }) => {
  const form = await readMultipart(req, modelUploadLimits());
  const files = form.filesOf("files").map((f) => ({ name: f.name, data: f.data }));
  return Response.json(await describeModelUpload(actor, { projectSlug: params.slug, datasetId: form.text("datasetId") ?? "", files }));
});
