// After users change their own password, their other sessions end (the session version goes up,
// lib/services/users.ts) — but not the one they changed it from: its JWT cookie is re-issued with
// the new version, keeping its expiry, the way next-auth writes it.

import "server-only";
import { cookies } from "next/headers";
import { decode, encode } from "next-auth/jwt";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_S, secureSessionCookies, sessionCookieName } from "./session-cookie";

/** Rewrites the current session cookie with session version `sv`; false when there is no session cookie. */
export async function reissueSessionCookie(sv: number): Promise<boolean> {
  const jar = await cookies();
  const name = sessionCookieName();
  const raw = jar.get(name)?.value;
  if (!raw) return false;
  const token = await decode({ token: raw, secret: authSecret() });
  if (!token) return false;
  const value = await encode({ token: { ...token, sv }, secret: authSecret(), maxAge: SESSION_MAX_AGE_S });
  jar.set(name, value, { httpOnly: true, sameSite: "lax", path: "/", secure: secureSessionCookies(), maxAge: SESSION_MAX_AGE_S });
  return true;
}
