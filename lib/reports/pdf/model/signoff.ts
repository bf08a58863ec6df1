// The sign-off page, the cover's review line and the appendix's review history and comments,
// from the decision records the app stores (lib/services/review.ts). A PDF made without them (the
// CLI, or an audit nobody has reviewed yet) says "not reviewed" and keeps blank lines to sign on.

import type { ReviewAction, ReviewState } from "../../../review";
import { REVIEW_ACTION_PAST, REVIEW_STATE_LABELS } from "../../../review";
import { fmtDate } from "../../../views/format";

/** What the app knows about the review, passed to the renderer (PdfOptions.review). */
export interface PdfReviewInput {
  state: ReviewState;
  decisions: Array<{ action: ReviewAction; actorName: string; actorEmail: string; actorRoleLabel: string; note: string; conditions: string; reportSha256: string; createdAt: string }>;
  comments: Array<{ author: string; createdAt: string; body: string }>;
}

export interface SignoffModel {
  statement: string;
  preparedBy: string;
  /** Filled from the latest decision (approve, reject, request changes); null: blank lines. */
  decision: null | {
    name: string;
    role: string;
    /** "Approved", "Approved with conditions", "Not approved", "Changes requested" */
    outcome: string;
    rationale: string;
    conditions: string;
    date: string;
    reportSha256: string;
    /** The hash the decision recorded differs from this document's (never, for a frozen audit). */
    hashMismatch: boolean;
  };
  submitted: null | { name: string; role: string; date: string };
  /** The cover's review line. */
  coverLine: { title: string; detail: string; tone: "pass" | "fail" | "warn" | "neutral" };
  history: Array<{ date: string; who: string; what: string; note: string }>;
  comments: Array<{ date: string; who: string; body: string }>;
}

export function signoffModel(reportId: string, reportSha256: string, preparedBy: string, review: PdfReviewInput | null | undefined): SignoffModel {
  const decisions = review?.decisions ?? [];
  const state: ReviewState = review?.state ?? "draft";
  // the standing decision: none while the audit is (again) in review; earlier ones are in A.6
  const last = state === "in_review" || state === "draft" ? null : ([...decisions].reverse().find((d) => d.action !== "submit") ?? null);
  const submit = [...decisions].reverse().find((d) => d.action === "submit") ?? null;
  const outcome = (a: ReviewAction, conditions: string) => (a === "approve" ? (conditions ? "Approved with conditions" : "Approved") : a === "reject" ? "Not approved" : "Changes requested");
  const decision = last
    ? {
        name: `${last.actorName} (${last.actorEmail})`,
        role: last.actorRoleLabel,
        outcome: outcome(last.action, last.conditions),
        rationale: last.note,
        conditions: last.conditions,
        date: fmtDate(last.createdAt),
        reportSha256: last.reportSha256,
        hashMismatch: last.reportSha256 !== reportSha256,
      }
    : null;
  const coverLine: SignoffModel["coverLine"] =
    state === "approved" && last
      ? { title: "Approved", detail: `by ${last.actorName} (${last.actorRoleLabel}) on ${fmtDate(last.createdAt)}${last.conditions ? `, with conditions: ${last.conditions}` : ""}`, tone: "pass" }
      : state === "rejected" && last
        ? { title: "Rejected", detail: `by ${last.actorName} (${last.actorRoleLabel}) on ${fmtDate(last.createdAt)}`, tone: "fail" }
        : state === "changes_requested" && last
          ? { title: "Changes requested", detail: `by ${last.actorName} (${last.actorRoleLabel}) on ${fmtDate(last.createdAt)}; not approved`, tone: "warn" }
          : state === "in_review"
            ? { title: "Not reviewed", detail: `submitted for review${submit ? ` by ${submit.actorName} on ${fmtDate(submit.createdAt)}` : ""}; no decision yet`, tone: "neutral" }
            : { title: "Not reviewed", detail: "no reviewer has approved this report in Assay", tone: "neutral" };
  return {
    statement: decision
      ? `The decision below was recorded in Assay for report ${reportId} (SHA-256 ${reportSha256.slice(0, 16)}…): who decided, in which role, when, why and on which exact report.`
      : `Not reviewed: no decision on this report (report ID ${reportId}) was recorded in Assay when this document was made. Sign below to record a decision on paper.`,
    preparedBy,
    decision,
    submitted: submit ? { name: `${submit.actorName} (${submit.actorEmail})`, role: submit.actorRoleLabel, date: fmtDate(submit.createdAt) } : null,
    coverLine,
    history: decisions.map((d) => ({ date: fmtDate(d.createdAt), who: `${d.actorName} (${d.actorRoleLabel})`, what: `${REVIEW_ACTION_PAST[d.action]} (${REVIEW_STATE_LABELS[d.action === "submit" ? "in_review" : d.action === "approve" ? "approved" : d.action === "reject" ? "rejected" : "changes_requested"]})`, note: [d.note, d.conditions ? `Conditions: ${d.conditions}` : ""].filter(Boolean).join(" ") })),
    comments: (review?.comments ?? []).map((c) => ({ date: fmtDate(c.createdAt), who: c.author, body: c.body })),
  };
}
