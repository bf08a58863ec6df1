"use client";

import { useActionState, useEffect, useRef } from "react";
import { addCommentAction, type ActionState } from "../../../projects/actions";
import { FieldError } from "../../../_components/field-error";

export function CommentForm({ auditId }: { auditId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(addCommentAction.bind(null, auditId), {});
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) ref.current?.reset();
  }, [state]);
  return (
    <form ref={ref} className="form" action={action}>
      <label className="field">
        <span>Add a comment</span>
        <textarea name="body" required maxLength={5000} aria-invalid={Boolean(state.error)} />
        <FieldError state={state} field="body" />
      </label>
      <div>
        <button className="btn" type="submit" disabled={pending}>
          {pending ? "Posting…" : "Post comment"}
        </button>
      </div>
    </form>
  );
}
