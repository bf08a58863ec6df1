// PUT /api/projects/:slug/datasets?name=file.csv — the CSV as the raw request body, streamed to
// the data dir (no buffering of the whole file), parsed, kept only when valid.

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { uploadDataset } from "@/lib/services/datasets";
import { assertContentLength } from "@/lib/http/body";
import { getEnv } from "@/lib/env";

export const runtime = "nodejs";

export const PUT = withApi<{ slug: string }>("upload", async (req, { actor, params }) => {
  const name = new URL(req.url).searchParams.get("name") ?? "dataset.csv";
  // a declared length over the limit is refused before the body is read (the stream is capped too)
  assertContentLength(req, getEnv().ASSAY_MAX_DATASET_BYTES, "the dataset", "ASSAY_MAX_DATASET_BYTES");
  if (!req.body) throw new AppError("INVALID_INPUT", "send the CSV file as the request body", { location: { field: "file" } });
  const { id } = await uploadDataset(actor, { projectSlug: params.slug, fileName: name, body: req.body });
  return Response.json({ id, url: `/projects/${params.slug}/datasets/${id}` }, { status: 201 });
});
