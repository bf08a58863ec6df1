// GET /api/audits/:id/report — the stored report JSON as a download.

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { getAuditStatus } from "@/lib/services/audits";
import { slugify } from "@/lib/text";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => {
  const a = await getAuditStatus(actor, params.id);
  if (!a.report) throw new AppError("CONFLICT", `the audit has no report yet (${a.status})`);
  return new Response(JSON.stringify(a.report, null, 2), {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${slugify(a.name)}.report.json"` },
  });
});
