// Review and sign-off: submit an audit for review, and approve, request changes or reject it
// with a written rationale. The rules live here, not in the pages:
// - roles: submitting needs `submit_review` (data scientists, admins); deciding `decide_review`
//   (reviewers, admins);
// - four eyes: whoever started the audit or submitted it can never approve, reject or request
//   changes to it, admins included;
// - every step is a ReviewDecision row with the actor's name, email and role as they were, the
//   time, the rationale, conditions and the SHA-256 of the canonical report JSON, and an event in
//   the audit trail;
// - a transition is a compare-and-set on the audit's state: two reviewers deciding at once cannot
//   both win;
// - an approved audit is frozen (lib/review.ts isFrozen): no write path changes it or its files.

import { z } from "zod";
import { getDb } from "../db/client";
import { assertCan, can, ROLE_LABELS, type Actor } from "../auth/roles";
import { AppError } from "../errors";
import { reportSha256 } from "../report/hash";
import { isDecision, isReviewState, nextReviewState, REVIEW_ACTIONS, REVIEW_ACTION_PAST, REVIEW_STATE_LABELS, type ReviewAction, type ReviewState } from "../review";
import { parseInput } from "../validate";
import { recordEventSafely } from "./events";

export const ZReviewInput = z
  .object({
    action: z.enum(REVIEW_ACTIONS, { message: `action is one of ${REVIEW_ACTIONS.join(", ")}` }),
    note: z.string().trim().max(5000, "at most 5,000 characters").default(""),
    conditions: z.string().trim().max(2000, "at most 2,000 characters").default(""),
    /** With submit: the reviewer asked to decide (email or user id). */
    reviewer: z.string().trim().max(320).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action !== "submit" && v.note.length < 3) ctx.addIssue({ code: "custom", path: ["note"], message: "write the rationale for the decision (it is recorded and printed on the sign-off page)" });
    if (v.action !== "submit" && v.reviewer) ctx.addIssue({ code: "custom", path: ["reviewer"], message: "a reviewer is named only when submitting" });
    if (v.action !== "approve" && v.action !== "request_changes" && v.conditions) ctx.addIssue({ code: "custom", path: ["conditions"], message: "conditions go with an approval (or a request for changes)" });
  });

export interface ReviewDecisionView {
  id: string;
  action: ReviewAction;
  /** The user who took the step (null if since deleted). */
  actorId: string | null;
  fromState: ReviewState;
  toState: ReviewState;
  actorName: string;
  actorEmail: string;
  actorRole: string;
  /** "Reviewer", "Admin", … */
  actorRoleLabel: string;
  note: string;
  conditions: string;
  reportSha256: string;
  createdAt: string;
}

export interface ReviewView {
  state: ReviewState;
  stateLabel: string;
  /** The reviewer asked for at submission, if any. */
  reviewer: { id: string; name: string; email: string } | null;
  reportSha256: string | null;
  decisions: ReviewDecisionView[];
  /** The latest approval, rejection or request for changes. */
  decision: ReviewDecisionView | null;
  rerunOf: string | null;
  reruns: string[];
}

function roleLabel(role: string): string {
  return ROLE_LABELS[role as keyof typeof ROLE_LABELS] ?? role;
}

function decisionView(d: { id: string; action: string; fromState: string; toState: string; actorId: string | null; actorName: string; actorEmail: string; actorRole: string; note: string; conditions: string; reportSha256: string; createdAt: Date }): ReviewDecisionView {
  return {
    id: d.id,
    action: d.action as ReviewAction,
    actorId: d.actorId,
    fromState: d.fromState as ReviewState,
    toState: d.toState as ReviewState,
    actorName: d.actorName,
    actorEmail: d.actorEmail,
    actorRole: d.actorRole,
    actorRoleLabel: roleLabel(d.actorRole),
    note: d.note,
    conditions: d.conditions,
    reportSha256: d.reportSha256,
    createdAt: d.createdAt.toISOString(),
  };
}

/** What GET /api/audits/:id carries (one query beside the status's): state and decisions. The
 *  full review (requested reviewer, re-runs) is GET /api/audits/:id/review. */
export interface ReviewSummary {
  state: ReviewState;
  stateLabel: string;
  reportSha256: string | null;
  decisions: ReviewDecisionView[];
  decision: ReviewDecisionView | null;
}

function summaryOf(reviewState: string, reportSha256: string | null, rows: Parameters<typeof decisionView>[0][]): ReviewSummary {
  const state: ReviewState = isReviewState(reviewState) ? reviewState : "draft";
  const decisions = rows.map(decisionView);
  return { state, stateLabel: REVIEW_STATE_LABELS[state], reportSha256, decisions, decision: [...decisions].reverse().find((d) => isDecision(d.action)) ?? null };
}

export async function reviewSummaryOf(audit: { id: string; reviewState: string; reportSha256: string | null }): Promise<ReviewSummary> {
  const rows = await getDb().reviewDecision.findMany({ where: { auditId: audit.id }, orderBy: { createdAt: "asc" } });
  return summaryOf(audit.reviewState, audit.reportSha256, rows);
}

/** The review of one audit, read without a permission check (callers have checked `read`). */
/** What a query must select for reviewFromRow (add it to an audit query to get the review along). */
export const REVIEW_SELECT = {
  reviewState: true,
  reportSha256: true,
  rerunOfId: true,
  reruns: { select: { id: true }, orderBy: { createdAt: "asc" } },
  reviewer: { select: { id: true, name: true, email: true } },
  decisions: { orderBy: { createdAt: "asc" } },
} as const;

type ReviewRow = {
  reviewState: string;
  reportSha256: string | null;
  rerunOfId: string | null;
  reruns: Array<{ id: string }>;
  reviewer: { id: string; name: string; email: string } | null;
  decisions: Parameters<typeof decisionView>[0][];
};

/** The review from an audit row read with REVIEW_SELECT. */
export function reviewFromRow(a: ReviewRow): ReviewView {
  const { state, stateLabel, reportSha256, decisions, decision } = summaryOf(a.reviewState, a.reportSha256, a.decisions);
  return {
    state,
    stateLabel,
    reviewer: a.reviewer ? { id: a.reviewer.id, name: a.reviewer.name || a.reviewer.email, email: a.reviewer.email } : null,
    reportSha256,
    decisions,
    decision,
    rerunOf: a.rerunOfId,
    reruns: a.reruns.map((r) => r.id),
  };
}

export async function reviewOf(auditId: string): Promise<ReviewView> {
  const a = await getDb().audit.findUnique({ where: { id: auditId }, select: REVIEW_SELECT });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  return reviewFromRow(a);
}

export async function getReview(actor: Actor | null, auditId: string): Promise<ReviewView> {
  assertCan(actor, "read");
  return reviewOf(auditId);
}

/** Why `actor` may not take `action` on this audit now (null: they may). For the UI and the service alike. */
export function reviewRefusal(
  actor: Actor,
  audit: { status: string; reviewState: string; createdById: string | null; createdBy: string },
  submitterIds: readonly string[],
  action: ReviewAction,
): { code: "FORBIDDEN" | "CONFLICT"; message: string } | null {
  const permission = action === "submit" ? "submit_review" : "decide_review";
  if (!can(actor, permission)) return { code: "FORBIDDEN", message: `${roleLabel(actor.role)}s may not ${action === "submit" ? "submit audits for review" : "approve, reject or request changes to audits"}` };
  if (audit.status !== "succeeded") return { code: "CONFLICT", message: `only a finished audit with a report can be reviewed (this one is ${audit.status})` };
  const state: ReviewState = isReviewState(audit.reviewState) ? audit.reviewState : "draft";
  if (!nextReviewState(state, action)) return { code: "CONFLICT", message: `the audit is ${REVIEW_STATE_LABELS[state].toLowerCase()}: it cannot be ${REVIEW_ACTION_PAST[action]} now` };
  if (isDecision(action)) {
    const started = audit.createdById === actor.id || (audit.createdById === null && audit.createdBy.toLowerCase() === actor.email.toLowerCase());
    if (started) return { code: "FORBIDDEN", message: "you started this audit: a second person must review it (four-eyes rule)" };
    if (submitterIds.includes(actor.id)) return { code: "FORBIDDEN", message: "you submitted this audit for review: a second person must decide (four-eyes rule)" };
  }
  return null;
}

async function resolveReviewer(ref: string, audit: { createdById: string | null; createdBy: string }, submitter: Actor) {
  const db = getDb();
  const u = await db.user.findFirst({ where: { OR: [{ email: ref.toLowerCase() }, { id: ref }] } });
  if (!u || u.disabled) throw new AppError("INVALID_INPUT", `no active user "${ref}" to review it`, { location: { field: "reviewer" } });
  const asActor = { id: u.id, email: u.email, name: u.name, role: u.role } as Actor;
  if (!can(asActor, "decide_review")) throw new AppError("INVALID_INPUT", `${u.name || u.email} is a ${roleLabel(u.role).toLowerCase()} and may not decide reviews: name a reviewer or an admin`, { location: { field: "reviewer" } });
  if (u.id === submitter.id || u.id === audit.createdById || (audit.createdById === null && u.email === audit.createdBy.toLowerCase())) {
    throw new AppError("INVALID_INPUT", `${u.name || u.email} started or is submitting this audit and cannot review it (four-eyes rule)`, { location: { field: "reviewer" } });
  }
  return u;
}

/** Takes one review step on an audit. Returns the new review. */
export async function reviewAudit(actor: Actor | null, auditId: string, input: z.input<typeof ZReviewInput>): Promise<ReviewView> {
  if (!actor) throw new AppError("UNAUTHORIZED", "sign in first");
  const v = parseInput(ZReviewInput, input);
  const db = getDb();
  const audit = await db.audit.findUnique({
    where: { id: auditId },
    select: { id: true, name: true, status: true, reviewState: true, createdById: true, createdBy: true, reportSha256: true, projectId: true, report: v.action === "submit" },
  });
  if (!audit) throw new AppError("NOT_FOUND", "no such audit");
  const submitters = await db.reviewDecision.findMany({ where: { auditId, action: "submit" }, select: { actorId: true } });
  const refusal = reviewRefusal(actor, audit, submitters.map((s) => s.actorId).filter((x): x is string => !!x), v.action);
  if (refusal) throw new AppError(refusal.code, refusal.message);
  const from = audit.reviewState as ReviewState;
  const to = nextReviewState(from, v.action)!;
  const reviewer = v.action === "submit" && v.reviewer ? await resolveReviewer(v.reviewer, audit, actor) : null;
  // older audits (before reports were hashed on write) get their hash now, from the stored report
  const sha = audit.reportSha256 ?? (audit.report ? reportSha256(audit.report) : null);
  if (!sha) throw new AppError("CONFLICT", "the audit has no report to review");
  const done = await db.$transaction(async (tx) => {
    const moved = await tx.audit.updateMany({
      where: { id: auditId, reviewState: from },
      data: { reviewState: to, reportSha256: sha, ...(v.action === "submit" ? { reviewerId: reviewer?.id ?? null } : {}) },
    });
    if (moved.count !== 1) return false;
    await tx.reviewDecision.create({
      data: { auditId, action: v.action, fromState: from, toState: to, actorId: actor.id, actorName: actor.name || actor.email, actorEmail: actor.email, actorRole: actor.role, note: v.note, conditions: v.conditions, reportSha256: sha },
    });
    return true;
  });
  if (!done) throw new AppError("CONFLICT", "someone else changed this audit's review just now: reload the page");
  const parts = [`${REVIEW_STATE_LABELS[from]} → ${REVIEW_STATE_LABELS[to]}`, reviewer ? `reviewer ${reviewer.email}` : "", v.note ? `“${v.note.length > 200 ? `${v.note.slice(0, 199)}…` : v.note}”` : "", v.conditions ? `conditions: ${v.conditions.slice(0, 200)}` : "", `report ${sha.slice(0, 16)}…`];
  await recordEventSafely({ actor, action: `review_${v.action}`, target: { type: "audit", id: auditId }, projectId: audit.projectId, summary: parts.filter(Boolean).join("; ") });
  return reviewOf(auditId);
}

export interface ReviewQueueItem {
  id: string;
  name: string;
  project: { slug: string; name: string } | null;
  startedBy: string;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewer: string | null;
  /** Asked of the signed-in user by name (else open to any reviewer). */
  askedOfMe: boolean;
}

/** Audits in review that the signed-in user may decide: those asked of them first, then the open ones. */
export async function myReviews(actor: Actor | null): Promise<ReviewQueueItem[]> {
  assertCan(actor, "decide_review");
  const rows = await getDb().audit.findMany({
    where: { reviewState: "in_review", archivedAt: null, OR: [{ reviewerId: actor.id }, { reviewerId: null }] },
    orderBy: { updatedAt: "asc" },
    take: 200,
    select: {
      id: true,
      name: true,
      createdById: true,
      createdBy: true,
      reviewerId: true,
      project: { select: { slug: true, name: true } },
      reviewer: { select: { email: true, name: true } },
      decisions: { where: { action: "submit" }, orderBy: { createdAt: "desc" }, select: { actorId: true, actorName: true, createdAt: true } },
    },
  });
  return rows
    .filter((r) => r.createdById !== actor.id && !r.decisions.some((d) => d.actorId === actor.id) && !(r.createdById === null && r.createdBy.toLowerCase() === actor.email))
    .map((r) => ({
      id: r.id,
      name: r.name,
      project: r.project,
      startedBy: r.createdBy,
      submittedBy: r.decisions[0]?.actorName ?? null,
      submittedAt: r.decisions[0]?.createdAt.toISOString() ?? null,
      reviewer: r.reviewer ? r.reviewer.name || r.reviewer.email : null,
      askedOfMe: r.reviewerId === actor.id,
    }))
    .sort((a, b) => Number(b.askedOfMe) - Number(a.askedOfMe));
}

/** People who may be asked to review (for the submit form): active reviewers and admins. */
export async function listReviewers(actor: Actor | null): Promise<Array<{ id: string; name: string; email: string; role: string }>> {
  assertCan(actor, "read");
  const users = await getDb().user.findMany({ where: { disabled: false, role: { in: ["reviewer", "admin"] } }, orderBy: { email: "asc" }, select: { id: true, name: true, email: true, role: true } });
  return users.filter((u) => u.id !== actor.id).map((u) => ({ ...u, name: u.name || u.email }));
}

export interface HashLookup {
  sha256: string;
  /** Audits whose report has this hash (normally one). */
  audits: Array<{
    id: string;
    name: string;
    project: string | null;
    state: ReviewState;
    stateLabel: string;
    approvedBy: { name: string; role: string; at: string; conditions: string } | null;
    /** The hash the approval recorded equals the report's (and the one asked about). */
    approvedHashMatches: boolean | null;
  }>;
}

/** Which audit a report hash belongs to, its review state and who approved it. */
export async function lookupReportHash(actor: Actor | null, sha256: string): Promise<HashLookup> {
  assertCan(actor, "read");
  const sha = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new AppError("INVALID_INPUT", "a SHA-256 is 64 hexadecimal characters", { location: { field: "sha256" } });
  const rows = await getDb().audit.findMany({
    where: { reportSha256: sha },
    select: { id: true, name: true, reviewState: true, project: { select: { name: true } }, decisions: { where: { action: "approve" }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  return {
    sha256: sha,
    audits: rows.map((r) => {
      const state: ReviewState = isReviewState(r.reviewState) ? r.reviewState : "draft";
      const d = r.decisions[0];
      return {
        id: r.id,
        name: r.name,
        project: r.project?.name ?? null,
        state,
        stateLabel: REVIEW_STATE_LABELS[state],
        approvedBy: d ? { name: d.actorName, role: roleLabel(d.actorRole), at: d.createdAt.toISOString(), conditions: d.conditions } : null,
        approvedHashMatches: d ? d.reportSha256 === sha : null,
      };
    }),
  };
}
