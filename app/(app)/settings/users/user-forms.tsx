"use client";

import { useActionState, useTransition } from "react";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { createUserAction, updateUserAction, type SettingsState } from "../actions";

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
        <label className="field">
          <span>Initial password</span>
          <input type="password" name="password" minLength={8} required autoComplete="new-password" />
          {err("password")}
        </label>
      </div>
      {state.error && !["email", "password"].includes(state.error.field ?? "") ? (
        <p className="field-error" role="alert">
          {state.error.message}
        </p>
      ) : null}
      {state.ok ? <p className="notice ok">User added.</p> : null}
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
