// The review workflow's states, actions and transitions (one home: services, routes, pages, the
// PDF and the API use these). Pure: no database.
//
//   draft ──submit──▶ in_review ──approve──▶ approved            (final; the audit is frozen)
//                        │ ──reject───▶ rejected                   (final)
//                        └─request_changes─▶ changes_requested ──submit──▶ in_review
//
// After changes are requested the data scientist re-runs the audit (a new audit linked to this one
// by rerunOfId) and submits the new audit; submitting the old one again is allowed too (e.g. when
// the reviewer's request was about the stated purpose, not the numbers).

export const REVIEW_STATES = ["draft", "in_review", "approved", "changes_requested", "rejected"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ACTIONS = ["submit", "approve", "request_changes", "reject"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  draft: "Not reviewed",
  in_review: "In review",
  approved: "Approved",
  changes_requested: "Changes requested",
  rejected: "Rejected",
};

export const REVIEW_ACTION_LABELS: Record<ReviewAction, string> = {
  submit: "Submit for review",
  approve: "Approve",
  request_changes: "Request changes",
  reject: "Reject",
};

/** What each action did, for histories: "approved", "requested changes". */
export const REVIEW_ACTION_PAST: Record<ReviewAction, string> = {
  submit: "submitted for review",
  approve: "approved",
  request_changes: "requested changes",
  reject: "rejected",
};

const TRANSITIONS: Record<ReviewAction, { from: readonly ReviewState[]; to: ReviewState }> = {
  submit: { from: ["draft", "changes_requested"], to: "in_review" },
  approve: { from: ["in_review"], to: "approved" },
  request_changes: { from: ["in_review"], to: "changes_requested" },
  reject: { from: ["in_review"], to: "rejected" },
};

/** The state an action leads to from `state`, or null when it is not allowed there. */
export function nextReviewState(state: ReviewState, action: ReviewAction): ReviewState | null {
  const t = TRANSITIONS[action];
  return t.from.includes(state) ? t.to : null;
}

/** Decisions (not submissions) are taken by a second person: never the audit's starter or submitter. */
export function isDecision(action: ReviewAction): boolean {
  return action !== "submit";
}

export function isReviewState(v: unknown): v is ReviewState {
  return typeof v === "string" && (REVIEW_STATES as readonly string[]).includes(v);
}

/** An approved audit is frozen: its spec, report and the files it used can no longer change or be deleted. */
export function isFrozen(state: string): boolean {
  return state === "approved";
}
