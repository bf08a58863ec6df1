"use client";

import { useActionState } from "react";
import { rerunAuditAction, type ReviewActionState } from "../review-actions";

/** "Re-run as a new audit": the same spec queued again, linked to this audit. */
export function RerunButton({ auditId }: { auditId: string }) {
  const [state, action, pending] = useActionState<ReviewActionState, FormData>(() => rerunAuditAction(auditId), {});
  return (
    <form action={action} style={{ display: "inline" }}>
      <button className="btn" type="submit" disabled={pending}>
        {pending ? "Queuing…" : "Re-run as a new audit"}
      </button>
      {state.error ? (
        <span className="field-error" role="alert">
          {" "}
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
