// GET /api/audits[?project=slug] — list; POST /api/audits — create: JSON { project, spec } with
// stored paths, or multipart (spec YAML + dataset file + model files), as `assay submit` sends.

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { createAudit, listAuditsForApi } from "@/lib/services/audits";
import { submitAudit } from "@/lib/services/submit-audit";
import { parseInput } from "@/lib/validate";
import { readJsonBody, readMultipart } from "@/lib/http/body";
import { JSON_SPEC_BYTES, submitUploadLimits } from "@/lib/http/limits";
import { z } from "zod";

export const runtime = "nodejs";

const TAKE = "take must be a whole number from 1 to 500";
const ZListQuery = z.object({
  project: z.string().min(1).optional(),
  take: z.coerce.number({ error: TAKE }).int(TAKE).min(1, TAKE).max(500, TAKE).default(100),
});

export const GET = withApi("read", async (req, { actor }) => {
  const url = new URL(req.url);
  const q = parseInput(ZListQuery, Object.fromEntries(url.searchParams));
  return Response.json({ audits: await listAuditsForApi(actor, { projectSlug: q.project, take: q.take }) });
});

const ZJsonBody = z.object({ project: z.string().min(1), spec: z.unknown() });

export const POST = withApi("run_audit", async (req, { actor }) => {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("multipart/form-data")) {
    const form = await readMultipart(req, submitUploadLimits());
    const specYaml = form.text("spec") ?? (form.filesOf("spec")[0] ? new TextDecoder().decode(form.filesOf("spec")[0]!.data) : null);
    if (!specYaml) throw new AppError("INVALID_INPUT", "send the audit spec in the form field `spec`", { location: { field: "spec" } });
    const datasetFile = form.filesOf("dataset")[0];
    const dataset = datasetFile ? { name: datasetFile.name, data: datasetFile.data } : null;
    const model = form.filesOf("model").map((f) => ({ name: f.name, data: f.data }));
    const project = form.text("project");
    const created = await submitAudit(actor, { project: project || undefined, specYaml, dataset, model });
    return Response.json({ id: created.id, project: created.project, url: `/audits/${created.id}` }, { status: 201 });
  }
  const body = parseInput(ZJsonBody, await readJsonBody(req, JSON_SPEC_BYTES));
  const created = await createAudit(actor, { projectSlug: body.project, spec: body.spec });
  return Response.json({ id: created.id, url: `/audits/${created.id}` }, { status: 201 });
});
