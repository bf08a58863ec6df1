// The audit page's Review section: the state, the approval (or latest decision) with its
// rationale, conditions and report hash, the history of review steps, the form for whoever may
// take the next step, links between an audit and its re-runs, and the audit's own trail.

import Link from "next/link";
import { can, type Actor } from "@/lib/auth/roles";
import { formatDate } from "@/lib/format";
import { REVIEW_ACTION_PAST } from "@/lib/review";
import { listReviewers, reviewRefusal, type ReviewView } from "@/lib/services/review";
import { ReviewBadge } from "../../../_components/review-badge";
import { ReviewForm } from "./review-form";
import { RerunButton } from "./rerun-button";
import { AuditTrail } from "./audit-trail";

interface AuditFacts {
  id: string;
  status: string;
  createdById: string | null;
  createdBy: string;
  projectSlug: string | null;
  modelVersionId: string | null;
  datasetId: string | null;
}

export async function ReviewPanel({ actor, audit, review }: { actor: Actor; audit: AuditFacts; review: ReviewView }) {
  // from what the page has read: no more queries (the service checks again when a step is taken)
  const submitterIds = review.decisions.filter((d) => d.action === "submit" && d.actorId).map((d) => d.actorId!);
  const facts = { status: audit.status, reviewState: review.state, createdById: audit.createdById, createdBy: audit.createdBy };
  const canSubmit = reviewRefusal(actor, facts, submitterIds, "submit") === null;
  const decideRefusal = reviewRefusal(actor, facts, submitterIds, "approve")?.message ?? null;
  const canDecide = decideRefusal === null;
  const reviewers = canSubmit ? (await listReviewers(actor)).filter((r) => r.id !== audit.createdById).map((r) => ({ id: r.id, label: `${r.name} (${r.email})` })) : [];
  // a decision stands until the audit is submitted again (then it is history, below)
  const d = review.state === "in_review" || review.state === "draft" ? null : review.decision;
  return (
    <section className="review" aria-labelledby="review-heading">
      <h2 id="review-heading">
        Review <ReviewBadge state={review.state} />
      </h2>
      {audit.status !== "succeeded" ? <p className="muted">An audit is reviewed once it has finished with a report.</p> : null}
      {d ? (
        <div className={`notice ${d.action === "approve" ? "pass" : d.action === "reject" ? "error" : "warn"}`}>
          <p>
            <strong>
              {d.actorName} ({d.actorRoleLabel}) {REVIEW_ACTION_PAST[d.action]}
            </strong>{" "}
            on {formatDate(d.createdAt)}.
          </p>
          <p style={{ whiteSpace: "pre-wrap" }}>{d.note}</p>
          {d.conditions ? (
            <p>
              <strong>Conditions:</strong> {d.conditions}
            </p>
          ) : null}
          <p className="muted small">
            Report SHA-256 <code className="hash">{d.reportSha256}</code>
            {review.state === "approved" ? " · this audit is frozen: its spec, report and files can no longer change or be deleted; running it again creates a new audit." : ""}
          </p>
        </div>
      ) : review.state === "in_review" ? (
        <p>
          Waiting for {review.reviewer ? `${review.reviewer.name}` : "a reviewer"} to decide.
        </p>
      ) : null}
      {review.rerunOf ? (
        <p>
          Re-runs <Link href={`/audits/${review.rerunOf}`}>an earlier audit</Link> whose reviewer asked for changes.
        </p>
      ) : null}
      {review.reruns.length ? (
        <p>
          Re-run as{" "}
          {review.reruns.map((id, i) => (
            <span key={id}>
              {i ? ", " : ""}
              <Link href={`/audits/${id}`}>a new audit</Link>
            </span>
          ))}
          .
        </p>
      ) : null}
      {review.state === "changes_requested" && audit.projectSlug && can(actor, "run_audit") ? (
        <p className="actions">
          <RerunButton auditId={audit.id} />
          <Link className="btn" href={`/projects/${audit.projectSlug}/audits/new?version=${audit.modelVersionId ?? ""}&dataset=${audit.datasetId ?? ""}&rerunOf=${audit.id}`}>
            Change the spec, then run
          </Link>
          <span className="muted">Then submit the new audit for review (or submit this one again if nothing needs re-running).</span>
        </p>
      ) : null}
      {audit.status === "succeeded" && (canSubmit || canDecide) ? <ReviewForm auditId={audit.id} canSubmit={canSubmit} canDecide={canDecide} reviewers={reviewers} resubmit={review.state === "changes_requested"} /> : null}
      {audit.status === "succeeded" && review.state === "in_review" && !canDecide && can(actor, "decide_review") && decideRefusal ? <p className="muted">{capitalize(decideRefusal)}.</p> : null}

      {review.decisions.length ? (
        <>
          <h3>Review history</h3>
          <ol className="history">
            {review.decisions.map((x) => (
              <li key={x.id}>
                <span className="muted">{formatDate(x.createdAt)}</span> — <strong>{x.actorName}</strong> ({x.actorRoleLabel}) {REVIEW_ACTION_PAST[x.action]}
                {x.note ? <>: “{x.note}”</> : null}
                {x.conditions ? <> Conditions: {x.conditions}.</> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}

      <AuditTrail auditId={audit.id} />
    </section>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
