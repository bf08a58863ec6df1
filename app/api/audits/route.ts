// GET /api/audits[?project=slug] — list; POST /api/audits — create: JSON { project, spec } with
// stored paths, or multipart (spec YAML + dataset file + model files), as `assay submit` sends.

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { createAudit, listAuditsForApi } from "@/lib/services/audits";
import { submitAudit } from "@/lib/services/submit-audit";
import { parseInput } from "@/lib/validate";
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
    const form = await req.formData();
    const specField = form.get("spec");
    const specYaml = typeof specField === "string" ? specField : specField instanceof File ? await specField.text() : null;
    if (!specYaml) throw new AppError("INVALID_INPUT", "send the audit spec in the form field `spec`", { location: { field: "spec" } });
    const toFile = async (f: FormDataEntryValue) => (f instanceof File ? { name: f.name, data: new Uint8Array(await f.arrayBuffer()) } : null);
    const datasetEntry = form.get("dataset");
    const dataset = datasetEntry ? await toFile(datasetEntry) : null;
    const model = (await Promise.all(form.getAll("model").map(toFile))).filter((f): f is NonNullable<typeof f> => f !== null);
    const project = form.get("project");
    const created = await submitAudit(actor, { project: typeof project === "string" && project ? project : undefined, specYaml, dataset, model });
    return Response.json({ id: created.id, project: created.project, url: `/audits/${created.id}` }, { status: 201 });
  }
  const body = parseInput(ZJsonBody, await req.json().catch(() => ({})));
  const created = await createAudit(actor, { projectSlug: body.project, spec: body.spec });
  return Response.json({ id: created.id, url: `/audits/${created.id}` }, { status: 201 });
});
