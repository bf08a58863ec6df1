"use client";

// The review panel's form: Submit for review (with an optional reviewer), or Approve / Request
// changes / Reject with a rationale (required) and conditions. Which of these appear is decided on
// the server (the roles and the four-eyes rule); the service checks again.

import { useActionState } from "react";
import { reviewAuditAction, type ReviewActionState } from "../review-actions";

export interface ReviewFormProps {
  auditId: string;
  canSubmit: boolean;
  canDecide: boolean;
  reviewers: Array<{ id: string; label: string }>;
  resubmit: boolean;
}

export function ReviewForm({ auditId, canSubmit, canDecide, reviewers, resubmit }: ReviewFormProps) {
  const [state, action, pending] = useActionState<ReviewActionState, FormData>(reviewAuditAction.bind(null, auditId), {});
  const error = state.error ? (
    <p className="field-error" role="alert">
      {state.error.message}
    </p>
  ) : null;
  if (canSubmit) {
    return (
      <form className="form review-form" action={action}>
        <input type="hidden" name="action" value="submit" />
        <label className="field">
          <span>Reviewer (optional)</span>
          <select name="reviewer" defaultValue="">
            <option value="">Any reviewer</option>
            {reviewers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Note to the reviewer (optional)</span>
          <textarea name="note" maxLength={5000} rows={3} placeholder={resubmit ? "What changed since the reviewer asked for changes" : "What the reviewer should know"} />
        </label>
        {error}
        <div>
          <button className="btn btn-primary" type="submit" disabled={pending}>
            {pending ? "Submitting…" : resubmit ? "Submit again for review" : "Submit for review"}
          </button>
        </div>
      </form>
    );
  }
  if (!canDecide) return null;
  return (
    <form className="form review-form" action={action}>
      <label className="field">
        <span>Rationale (required; recorded with your name and printed on the sign-off page)</span>
        <textarea name="note" required minLength={3} maxLength={5000} rows={4} aria-invalid={state.error?.field === "note"} />
      </label>
      <label className="field">
        <span>Conditions (optional, with an approval), e.g. “re-audit within 90 days”</span>
        <input name="conditions" maxLength={2000} />
      </label>
      {error}
      <div className="actions">
        <button className="btn btn-primary" type="submit" name="action" value="approve" disabled={pending}>
          Approve
        </button>
        <button className="btn" type="submit" name="action" value="request_changes" disabled={pending}>
          Request changes
        </button>
        <button className="btn btn-danger" type="submit" name="action" value="reject" disabled={pending}>
          Reject
        </button>
      </div>
    </form>
  );
}
