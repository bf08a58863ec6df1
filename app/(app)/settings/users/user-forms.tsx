"use client";

import { useActionState, useTransition } from "react";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { createUserAction, resetPasswordAction, updateUserAction, type SettingsState } from "../actions";

/** A one-time password, shown once: the user signs in with it and must choose their own. */
function OneTimePassword({ email, password, what }: { email: string; password: string; what: string }) {
  return (
    <div className="notice ok" role="status">
      <strong>{what}.</strong> One-time password for {email}: <code className="hash">{password}</code> — give it to them now: it is not shown again. At first sign-in they choose their own.
    </div>
  );
}

export function ResetPasswordButton({ userId }: { userId: string }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(() => resetPasswordAction(userId), {});
  return (
    <form action={action} style={{ display: "inline" }}>
      <button className="btn btn-link" type="submit" disabled={pending}>
        Reset password
      </button>
      {state.oneTimePassword ? <OneTimePassword email={state.email!} password={state.oneTimePassword} what="Password reset" /> : null}
      {state.error ? (
        <span className="field-error" role="alert">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}

export function NewUserForm() {
  const [state, action, pending] = useActionState<SettingsState, FormData>(createUserAction, {});
  const err = (f: string) =>
    state.error?.field === f ? (
      <p className="field-error" role="alert">
        {state.error.message}
      </p>
    ) : null;
  return (
    <form className="form" action={action}>
      <div className="row">
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" required />
          {err("email")}
        </label>
        <label className="field">
          <span>Name</span>
          <input type="text" name="name" />
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" defaultValue="reviewer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.error && !["email"].includes(state.error.field ?? "") ? (
        <p className="field-error" role="alert">
          {state.error.message}
        </p>
      ) : null}
      {state.oneTimePassword ? <OneTimePassword email={state.email!} password={state.oneTimePassword} what="User added" /> : null}
      <div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          Add user
        </button>
      </div>
    </form>
  );
}

export function UserControls({ userId, role, disabled }: { userId: string; role: Role; disabled: boolean }) {
  const [pending, start] = useTransition();
  return (
    <span className="actions">
      <select aria-label="Role" defaultValue={role} disabled={pending} onChange={(e) => start(async () => void (await updateUserAction(userId, { role: e.target.value as Role })))}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-link" disabled={pending} onClick={() => start(async () => void (await updateUserAction(userId, { disabled: !disabled })))}>
        {disabled ? "Enable" : "Disable"}
      </button>
    </span>
  );
}
