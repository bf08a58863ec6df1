// GET /api/audits/:id — status, progress, policy result; the report JSON with ?include=report.

import { withApi } from "@/lib/auth/api";
import { getAuditStatus } from "@/lib/services/audits";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (req, { actor, params }) => {
  const { report, ...status } = await getAuditStatus(actor, params.id);
  const include = new URL(req.url).searchParams.get("include") === "report";
  return Response.json({ ...status, ...(include ? { report } : {}) }, { headers: { "cache-control": "no-store" } });
});
