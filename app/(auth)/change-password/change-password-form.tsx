"use client";

import { useActionState } from "react";
import { changePasswordAction, type ChangePasswordState } from "./actions";

export function ChangePasswordForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(changePasswordAction.bind(null, callbackUrl), {});
  const err = (field: string) =>
    state.error && (state.error.field === field || (!state.error.field && field === "next")) ? (
      <p className="field-error" role="alert">
        {state.error.message}
      </p>
    ) : null;
  return (
    <form className="form" action={action}>
      <label className="field">
        <span>Current password</span>
        <input type="password" name="current" autoComplete="current-password" required />
        {err("current")}
      </label>
      <label className="field">
        <span>New password</span>
        <input type="password" name="next" autoComplete="new-password" minLength={12} required />
        {err("next")}
      </label>
      <label className="field">
        <span>New password again</span>
        <input type="password" name="confirm" autoComplete="new-password" minLength={12} required />
        {err("confirm")}
      </label>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save the new password"}
      </button>
    </form>
  );
}
