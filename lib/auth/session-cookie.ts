// The session cookie's settings, in one place for next-auth (lib/auth/options.ts) and for the
// re-issue after a password change (lib/auth/reissue.ts).

import { getEnv } from "../env";

/** A session lasts 12 hours. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** Secure (and __Secure- prefixed) session cookies whenever the app is served over TLS. */
export function secureSessionCookies(): boolean {
  return (getEnv().NEXTAUTH_URL ?? "").startsWith("https://");
}

/** next-auth's name for the session cookie under those settings. */
export function sessionCookieName(): string {
  return `${secureSessionCookies() ? "__Secure-" : ""}next-auth.session-token`;
}
