// GET /api/audits/:id/pdf — the audit report as a PDF, rendered from the stored report JSON
// (never recomputed), with changes against the previous audited version when there is one, and
// the review recorded in the app (sign-off page, cover, appendix A.6).

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { getAuditPage } from "@/lib/services/audits";
import { reportSha256 } from "@/lib/report/hash";
import { renderReportPdf } from "@/lib/reports/pdf/render";
import { slugify } from "@/lib/text";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => {
  const { audit, report, previous, review } = await getAuditPage(actor, params.id);
  if (!report) throw new AppError("CONFLICT", `the audit has no report yet (${audit.status})`);
  const pdf = await renderReportPdf(report, {
    reportSha256: reportSha256(report),
    previous: previous ? { version: previous.version, report: previous.report } : null,
    preparedBy: audit.createdByUser ? `${audit.createdByUser.name || audit.createdByUser.email} (${audit.createdByUser.email})` : audit.createdBy,
    project: audit.project?.name,
    modelVersion: audit.modelVersion ? `${audit.modelVersion.model.name} ${audit.modelVersion.version}` : undefined,
    datasetName: audit.dataset?.name,
    review: {
      state: review.state,
      decisions: review.decisions,
      comments: audit.comments.map((c) => ({ author: `${c.user.name || c.user.email}`, createdAt: c.createdAt.toISOString(), body: c.body })),
    },
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${slugify(audit.name)}.pdf"`,
      "cache-control": "no-store",
    },
  });
});
