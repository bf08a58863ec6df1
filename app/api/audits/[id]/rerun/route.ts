// POST /api/audits/:id/rerun — JSON { threshold }: queues the same audit at another decision
// threshold (the threshold slider's "Save as new audit"); 201 with the new audit's id.

import { withApi } from "@/lib/auth/api";
import { rerunAtThreshold } from "@/lib/services/audits";
import { readJsonBody } from "@/lib/http/body";

export const runtime = "nodejs";

export const POST = withApi<{ id: string }>("run_audit", async (req, { actor, params }) => {
  const body = (await readJsonBody(req, 16 * 1024)) as { threshold?: unknown } | null;
  const created = await rerunAtThreshold(actor, params.id, { threshold: body?.threshold as number });
  return Response.json({ id: created.id, url: `/audits/${created.id}` }, { status: 201 });
});
