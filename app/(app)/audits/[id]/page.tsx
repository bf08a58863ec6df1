import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getAuditPage } from "@/lib/services/audits";
import { formatDate } from "@/lib/format";
import { ReportDashboard } from "@/components/report/ReportDashboard";
import { StatusBadge } from "../../_components/status-badge";
import { AuditProgress } from "./_components/audit-progress";
import { CancelButton } from "./_components/cancel-button";
import { CommentForm } from "./_components/comment-form";
import { orNotFound } from "../../_components/or-not-found";
import { loadReportTabAction } from "./tab-actions";
import { ReviewPanel } from "./_components/review-panel";
import { ReviewBadge } from "../../_components/review-badge";
import { mayDeleteAudit } from "@/lib/services/retention";
import { RetentionControls } from "../../_components/retention-controls";

export const dynamic = "force-dynamic";

export default async function AuditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermission("read", `/audits/${id}`);
  const page = await orNotFound(getAuditPage(actor, id));
  const { audit, report, previous, review } = page;
  const active = audit.status === "queued" || audit.status === "running";
  return (
    <>
      <p className="crumbs">
        {audit.project ? (
          <>
            <Link href="/">Projects</Link> / <Link href={`/projects/${audit.project.slug}`}>{audit.project.name}</Link> /
          </>
        ) : (
          <Link href="/audits">Audits</Link>
        )}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {audit.name} <StatusBadge status={audit.status} passed={audit.passed} /> <ReviewBadge state={review.state} status={audit.status} />
          </h1>
          <p className="muted">
            {audit.modelVersion ? `${audit.modelVersion.model.name} ${audit.modelVersion.version}` : "—"} on {audit.dataset?.name ?? "—"} · started by {audit.createdBy}{" "}
            {formatDate(audit.createdAt)}
            {audit.finishedAt ? ` · finished ${formatDate(audit.finishedAt)}` : ""}
          </p>
        </div>
        <div className="actions">
          {active && can(actor, "run_audit") && !audit.cancelRequested ? <CancelButton auditId={audit.id} /> : null}
          <a className="btn" href={`/api/audits/${audit.id}/spec`} download>
            Download spec (YAML)
          </a>
          {report ? (
            <>
              <a className="btn btn-primary" href={`/api/audits/${audit.id}/pdf`} download>
                Download PDF
              </a>
              <a className="btn" href={`/api/audits/${audit.id}/report`} download>
                Download report (JSON)
              </a>
              <a className="btn" href={`/api/audits/${audit.id}/bundle`} download title="audit.yaml, the dataset, the model files and report.json: `npx assay audit audit.yaml` reproduces it, `npx assay verify report.json` checks it">
                Download audit bundle
              </a>
            </>
          ) : null}
          {audit.project && can(actor, "run_audit") ? (
            <Link className="btn" href={`/projects/${audit.project.slug}/audits/new?version=${audit.modelVersionId ?? ""}&dataset=${audit.datasetId ?? ""}`}>
              Run again
            </Link>
          ) : null}
          <RetentionControls
            kind="audit"
            id={audit.id}
            label={`the audit “${audit.name}”`}
            archived={Boolean(audit.archivedAt)}
            canArchive={can(actor, "archive")}
            canDelete={mayDeleteAudit(actor, audit)}
            afterDelete={audit.project ? `/projects/${audit.project.slug}` : "/audits"}
          />
        </div>
      </div>

      {active ? (
        <AuditProgress
          auditId={audit.id}
          initial={{
            status: audit.status,
            phase: audit.phase,
            progress: audit.progress,
            message: audit.message,
            error: audit.error,
            startedAt: audit.startedAt?.toISOString() ?? null,
            cancelRequested: audit.cancelRequested,
          }}
        />
      ) : null}
      {audit.status === "failed" ? (
        <div className="notice error" role="alert">
          <strong>The audit failed.</strong> {audit.error}
        </div>
      ) : null}
      {audit.status === "cancelled" ? <div className="notice">This audit was cancelled.</div> : null}
      {audit.archivedAt ? <div className="notice">Archived {formatDate(audit.archivedAt)}: hidden from the lists, kept, and restorable.</div> : null}

      {report ? (
        <ReportDashboard
          report={report}
          previous={previous?.report ?? null}
          // the Fairness tab (and its "Save as new audit") is rendered by loadReportTabAction
          loadTab={loadReportTabAction.bind(null, audit.id)}
        />
      ) : null}

      <ReviewPanel
        actor={actor}
        review={review}
        audit={{ id: audit.id, status: audit.status, createdById: audit.createdById, createdBy: audit.createdBy, projectSlug: audit.project?.slug ?? null, modelVersionId: audit.modelVersionId, datasetId: audit.datasetId }}
      />

      <h2>Comments</h2>
      <div className="comments">
        {audit.comments.length === 0 ? <p className="muted">No comments yet.</p> : null}
        {audit.comments.map((c) => (
          <div className="comment" key={c.id}>
            <div className="meta">
              {c.user.name || c.user.email} · {formatDate(c.createdAt)}
            </div>
            <div style={{ whiteSpace: "pre-wrap" }}>{c.body}</div>
          </div>
        ))}
        {can(actor, "comment") ? <CommentForm auditId={audit.id} /> : null}
      </div>
    </>
  );
}
