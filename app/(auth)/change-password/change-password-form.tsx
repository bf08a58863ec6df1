"use client";

import { useActionState } from "react";
import { changePasswordAction, type ChangePasswordState } from "./actions";
import { FieldError } from "../../(app)/_components/field-error";

export function ChangePasswordForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(changePasswordAction.bind(null, callbackUrl), {});
  return (
    <form className="form" action={action}>
      <label className="field">
        <span>Current password</span>
        <input type="password" name="current" autoComplete="current-password" required />
        <FieldError state={state} field="current" />
      </label>
      <label className="field">
        <span>New password</span>
        <input type="password" name="next" autoComplete="new-password" minLength={12} required />
        <FieldError state={state} field="next" />
        <FieldError state={state} placed={["current", "next", "confirm"]} />
      </label>
      <label className="field">
        <span>New password again</span>
        <input type="password" name="confirm" autoComplete="new-password" minLength={12} required />
        <FieldError state={state} field="confirm" />
      </label>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save the new password"}
      </button>
    </form>
  );
}
