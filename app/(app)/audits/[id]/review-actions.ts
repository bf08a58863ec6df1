"use server";

// The review panel's server action: one review step (lib/services/review.ts checks the role and
// the four-eyes rule; the page only decides which buttons to show).

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { redirect } from "next/navigation";
import { reviewAudit } from "@/lib/services/review";
import { rerunAudit } from "@/lib/services/audits";
import { auditEvents } from "@/lib/services/events";
import { EVENT_ACTION_LABELS, isEventAction } from "@/lib/events-vocabulary";
import { formatDate } from "@/lib/format";

export interface ReviewActionState {
  error?: { message: string; field?: string };
  ok?: boolean;
}

export async function reviewAuditAction(auditId: string, _prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  try {
    const reviewer = String(form.get("reviewer") ?? "").trim();
    await reviewAudit(await getActor(), auditId, {
      action: String(form.get("action") ?? "") as never,
      note: String(form.get("note") ?? ""),
      conditions: String(form.get("conditions") ?? ""),
      ...(reviewer ? { reviewer } : {}),
    });
  } catch (e) {
    if (isAppError(e)) return { error: { message: e.userMessage, field: e.location.field } };
    throw e;
  }
  revalidatePath(`/audits/${auditId}`);
  return { ok: true };
}

/** Queues the audit's spec again as a new audit linked to this one, and opens it. */
export async function rerunAuditAction(auditId: string): Promise<ReviewActionState> {
  let id: string;
  try {
    id = (await rerunAudit(await getActor(), auditId)).id;
  } catch (e) {
    if (isAppError(e)) return { error: { message: e.userMessage, field: e.location.field } };
    throw e;
  }
  redirect(`/audits/${id}`);
}

export interface TrailRow {
  seq: number;
  at: string;
  who: string;
  what: string;
  summary: string;
}

/** The audit's own trail, loaded when its section is opened (not with every page view). */
export async function loadAuditTrailAction(auditId: string): Promise<{ rows?: TrailRow[]; error?: string }> {
  try {
    const events = await auditEvents(await getActor(), auditId);
    return { rows: events.map((e) => ({ seq: e.seq, at: formatDate(e.at), who: e.actorEmail, what: isEventAction(e.action) ? EVENT_ACTION_LABELS[e.action] : e.action, summary: e.summary })) };
  } catch (e) {
    if (isAppError(e)) return { error: e.userMessage };
    throw e;
  }
}
