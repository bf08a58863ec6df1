"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

export function SignInForm({ callbackUrl, sso, initialError }: { callbackUrl: string; sso: string | null; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", { email: String(form.get("email")), password: String(form.get("password")), redirect: false, callbackUrl });
    setBusy(false);
    if (res?.status === 429) setError("Too many sign-in attempts. Wait a few minutes, then try again.");
    else if (!res || res.error) setError("Wrong email or password, or the account is disabled.");
    else window.location.assign(res.url ?? callbackUrl);
  }
  return (
    <>
      <form className="form" onSubmit={onSubmit} aria-describedby={error ? "signin-error" : undefined}>
        <label className="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error ? (
          <p id="signin-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso ? (
        <button type="button" className="btn" onClick={() => signIn("oidc", { callbackUrl })}>
          Sign in with {sso}
        </button>
      ) : null}
    </>
  );
}
