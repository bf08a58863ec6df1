// GET /api/audits/:id/report — the stored report JSON as a download.

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { getAuditStatus } from "@/lib/services/audits";
import { storedReportJson } from "@/lib/services/report-cache";
import { slugify } from "@/lib/text";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => {
  const a = await getAuditStatus(actor, params.id);
  const json = a.report ? await storedReportJson(a.id, a.finishedAt ? new Date(a.finishedAt) : null) : null;
  if (!json) throw new AppError("CONFLICT", `the audit has no report yet (${a.status})`);
  return new Response(json, {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${slugify(a.name)}.report.json"` },
  });
});
