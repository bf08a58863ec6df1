// GET /api/audits/:id — status, progress, policy result, review ({ state, decisions, … }); the
// report JSON with ?include=report (spliced in as the compact JSON the report cache serialised
// once, not re-serialised per request).

import { withApi } from "@/lib/auth/api";
import { getAuditStatus } from "@/lib/services/audits";
import { storedReportCompact } from "@/lib/services/report-cache";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (req, { actor, params }) => {
  const { report, ...status } = await getAuditStatus(actor, params.id);
  const headers = { "content-type": "application/json", "cache-control": "no-store" };
  if (new URL(req.url).searchParams.get("include") !== "report") return new Response(JSON.stringify(status), { headers });
  const compact = report ? await storedReportCompact(status.id, status.finishedAt ? new Date(status.finishedAt) : null) : null;
  return new Response(`${JSON.stringify(status).slice(0, -1)},"report":${compact ?? "null"}}`, { headers });
});
