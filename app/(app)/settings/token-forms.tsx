"use client";

import { useActionState, useTransition } from "react";
import { createTokenAction, revokeTokenAction, type SettingsState } from "./actions";

export function TokenForm() {
  const [state, action, pending] = useActionState<SettingsState, FormData>(createTokenAction, {});
  return (
    <form className="form" action={action}>
      <div className="row">
        <label className="field">
          <span>New token name</span>
          <input type="text" name="name" placeholder="e.g. CI pipeline" required maxLength={100} />
        </label>
        <label className="field">
          <span>Expires</span>
          <select name="expiresInDays" defaultValue="90">
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="">never</option>
          </select>
        </label>
      </div>
      {state.error ? (
        <p className="field-error" role="alert">
          {state.error.message}
        </p>
      ) : null}
      {state.token ? (
        <div className="notice ok" role="status">
          Your new token (shown once):
          <div className="secret" data-testid="new-token">
            {state.token}
          </div>
        </div>
      ) : null}
      <div>
        <button className="btn" type="submit" disabled={pending}>
          Create token
        </button>
      </div>
    </form>
  );
}

export function RevokeButton({ tokenId }: { tokenId: string }) {
  const [pending, start] = useTransition();
  return (
    <button type="button" className="btn btn-link" disabled={pending} onClick={() => start(async () => void (await revokeTokenAction(tokenId)))}>
      Revoke
    </button>
  );
}
