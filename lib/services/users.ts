// Use-cases for accounts: the first admin, signing in with a password, managing users (admins).

import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { ROLE_LABELS, assertCan, isRole, ROLES, type Actor, type Role } from "../auth/roles";
import { generatePassword, hashPassword, verifyPassword } from "../auth/password";
import { parseInput } from "../validate";
import { signInThrottle } from "../auth/throttle";
import { recordEventSafely } from "./events";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

function toActor(u: { id: string; email: string; name: string; role: string; mustChangePassword?: boolean }): Actor {
  return { id: u.id, email: u.email, name: u.name || u.email, role: isRole(u.role) ? u.role : "reviewer", ...(u.mustChangePassword ? { mustChangePassword: true } : {}) };
}

/**
 * Creates the first admin when there are no users. Returns the generated password (to print
 * once) when ASSAY_ADMIN_PASSWORD was not given; null when nothing was created.
 */
export async function ensureAdmin(): Promise<{ email: string; password: string | null } | null> {
  const db = getDb();
  if ((await db.user.count()) > 0) return null;
  const env = getEnv();
  const password = env.ASSAY_ADMIN_PASSWORD ?? generatePassword();
  await db.user.create({ data: { email: env.ASSAY_ADMIN_EMAIL.toLowerCase(), name: "Administrator", role: "admin", passwordHash: await hashPassword(password) } });
  return { email: env.ASSAY_ADMIN_EMAIL, password: env.ASSAY_ADMIN_PASSWORD ? null : password };
}

/** Email + password sign-in; null on any mismatch (no hint which part was wrong). The actor
 *  carries the user's session version, which the session keeps (lib/auth/options.ts). */
export async function authenticateWithPassword(email: string, password: string): Promise<(Actor & { sessionVersion: number }) | null> {
  const user = await getDb().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // an unknown email (or an SSO account) costs the same bcrypt work as a known one, so the time
  // taken does not reveal which emails have accounts
  const ok = await verifyPassword(password.slice(0, 200), user?.passwordHash ?? (await dummyHash()));
  if (!user || user.disabled || !user.passwordHash) return null;
  return ok ? { ...toActor(user), sessionVersion: user.sessionVersion } : null;
}

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(generatePassword()));
}

export interface SsoIdentity {
  /** The OIDC issuer (ASSAY_OIDC_ISSUER) and the user's stable `sub` claim there. */
  issuer: string;
  subject: string;
  email: string | null | undefined;
  /** The `email_verified` claim: SSO sign-in requires it to be true. */
  emailVerified: unknown;
  name: string | null | undefined;
}

/** Why an SSO sign-in was refused, with what the sign-in page says. */
export const SSO_REFUSALS = {
  SsoEmailUnverified: "Single sign-on refused: your identity provider did not confirm that your email address is verified.",
  SsoDomain: "Single sign-on refused: your email domain is not allowed to sign in to this Assay.",
  SsoEmailTaken: "Single sign-on refused: an Assay account with your email address already exists and is not linked to single sign-on. Ask an administrator.",
  SsoDisabled: "Your account is disabled. Ask an administrator.",
} as const;
export type SsoRefusal = keyof typeof SSO_REFUSALS;

export function ssoRefusalMessage(code: string | undefined): string | null {
  return code && Object.hasOwn(SSO_REFUSALS, code) ? SSO_REFUSALS[code as SsoRefusal] : null;
}

/**
 * Single sign-on: the user keyed by issuer + `sub`, created with the default SSO role on first
 * sign-in. The email is only a label: an SSO identity is never linked to an existing account by
 * its email (an identity provider that lets users pick an email would otherwise hand out any
 * account, the admin's included), the email must be verified by the provider, and
 * ASSAY_OIDC_ALLOWED_DOMAINS limits who may sign in.
 */
export async function findOrCreateSsoUser(id: SsoIdentity): Promise<Actor | SsoRefusal> {
  const db = getDb();
  if (!id.issuer || !id.subject) return "SsoEmailUnverified";
  const existing = await db.user.findUnique({ where: { ssoIssuer_ssoSubject: { ssoIssuer: id.issuer, ssoSubject: id.subject } } });
  if (existing) return existing.disabled ? "SsoDisabled" : toActor(existing);
  const email = (id.email ?? "").trim().toLowerCase();
  // some providers send the claim as the string "true"
  if (!email || (id.emailVerified !== true && id.emailVerified !== "true")) return "SsoEmailUnverified";
  const allowed = getEnv().ASSAY_OIDC_ALLOWED_DOMAINS;
  if (allowed.length > 0 && !allowed.includes(email.slice(email.lastIndexOf("@") + 1))) return "SsoDomain";
  if (await db.user.findUnique({ where: { email } })) return "SsoEmailTaken";
  try {
    return toActor(await db.user.create({ data: { email, name: (id.name ?? "").trim().slice(0, 200) || email, role: getEnv().ASSAY_OIDC_DEFAULT_ROLE, ssoIssuer: id.issuer, ssoSubject: id.subject } }));
  } catch {
    // a concurrent first sign-in of the same identity or email: whoever won decides
    const again = await db.user.findUnique({ where: { ssoIssuer_ssoSubject: { ssoIssuer: id.issuer, ssoSubject: id.subject } } });
    return again && !again.disabled ? toActor(again) : "SsoEmailTaken";
  }
}

/** The current state of a signed-in user (role changes and disabling take effect at once). With
 *  the session's version, a session from before a password change or reset is no longer valid. */
export async function getActorById(id: string, sessionVersion?: number): Promise<Actor | null> {
  const user = await getDb().user.findUnique({ where: { id } });
  if (!user || user.disabled) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  return toActor(user);
}

/** A user's current session version (for a session being issued). */
export async function sessionVersionOf(id: string): Promise<number> {
  return (await getDb().user.findUnique({ where: { id }, select: { sessionVersion: true } }))?.sessionVersion ?? 0;
}

/** The rules for a password people choose: 12 to 200 characters, not the email address. */
export function passwordRule(email: string) {
  return z
    .string()
    .min(12, "at least 12 characters")
    .max(200, "at most 200 characters")
    .refine((p) => p.trim().toLowerCase() !== email.trim().toLowerCase() && p.trim().toLowerCase() !== email.split("@")[0]!.toLowerCase(), "not your email address");
}

export const ZChangePassword = z.object({ current: z.string().max(200), next: z.string().max(200) });

/**
 * Changes the signed-in user's own password (the current one required). Ends the user's other
 * sessions (the session version goes up); returns the new version for the caller's own session.
 */
export async function changeOwnPassword(actor: Actor | null, input: z.input<typeof ZChangePassword>): Promise<{ sessionVersion: number }> {
  if (!actor) throw new AppError("UNAUTHORIZED", "sign in first");
  const v = parseInput(ZChangePassword, input);
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user || user.disabled) throw new AppError("UNAUTHORIZED", "sign in first");
  if (!user.passwordHash) throw new AppError("CONFLICT", "this account signs in with single sign-on: change the password at your identity provider");
  // the current password is guessed against the same per-account limit as sign-in
  const throttle = signInThrottle();
  const decision = throttle.begin(user.email, `password-change:${user.id}`);
  if (!decision.ok) throw new AppError("TOO_MANY_REQUESTS", `too many wrong passwords: try again in ${Math.ceil(decision.retryAfterSeconds / 60)} min`);
  let right: boolean;
  try {
    right = await verifyPassword(v.current.slice(0, 200), user.passwordHash);
  } finally {
    decision.release();
  }
  if (!right) {
    throttle.failed(user.email, `password-change:${user.id}`);
    throw invalidInput("the current password is not right", { field: "current" });
  }
  const next = parseInput(passwordRule(user.email), v.next, { field: "next" });
  if (next === v.current) throw invalidInput("choose a password different from the current one", { field: "next" });
  const updated = await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(next), mustChangePassword: false, sessionVersion: { increment: 1 } } });
  await recordEventSafely({ actor, action: "password_change", target: { type: "user", id: user.id }, summary: `${user.email}: own password changed; other sessions ended` });
  return { sessionVersion: updated.sessionVersion };
}

/** An admin resets a user's password to a one-time password (returned once, never stored in clear). */
export async function resetUserPassword(actor: Actor | null, userId: string): Promise<{ email: string; password: string }> {
  assertCan(actor, "manage_users");
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", "no such user");
  if (!user.passwordHash && user.ssoSubject) throw new AppError("CONFLICT", `${user.email} signs in with single sign-on and has no password here`);
  const password = generatePassword();
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password), mustChangePassword: true, sessionVersion: { increment: 1 } } });
  await recordEventSafely({ actor, action: "password_reset", target: { type: "user", id: userId }, summary: `${user.email}: one-time password issued; sessions ended` });
  return { email: user.email, password };
}

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email("enter a valid email address"),
  name: z.string().trim().max(200).default(""),
  role: z.enum(ROLES, { message: `role is one of ${ROLES.join(", ")}` }),
  /** Optional: a first password the admin hands over; it is one-time either way. None: one is generated. */
  password: z.string().min(12, "at least 12 characters").max(200).optional(),
});

/** Creates a user with a one-time password (the admin's, or generated and returned once): the
 *  user must choose their own at first sign-in. */
export async function createUser(actor: Actor | null, input: z.input<typeof ZCreateUser>): Promise<UserSummary & { oneTimePassword: string }> {
  assertCan(actor, "manage_users");
  const valid = parseInput(ZCreateUser, input);
  const db = getDb();
  if (await db.user.findUnique({ where: { email: valid.email } })) throw invalidInput("a user with this email exists", { field: "email" });
  const oneTimePassword = valid.password ?? generatePassword();
  const u = await db.user.create({ data: { email: valid.email, name: valid.name, role: valid.role, passwordHash: await hashPassword(oneTimePassword), mustChangePassword: true } });
  await recordEventSafely({ actor, action: "user_create", target: { type: "user", id: u.id }, summary: `${u.email}, ${ROLE_LABELS[valid.role]}` });
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role, disabled: u.disabled, createdAt: u.createdAt, oneTimePassword };
}

export async function listUsers(actor: Actor | null): Promise<UserSummary[]> {
  assertCan(actor, "manage_users");
  const users = await getDb().user.findMany({ orderBy: { createdAt: "asc" } });
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: (isRole(u.role) ? u.role : "reviewer") as Role, disabled: u.disabled, createdAt: u.createdAt }));
}

export const ZUpdateUser = z.object({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

export async function updateUser(actor: Actor | null, userId: string, input: z.input<typeof ZUpdateUser>): Promise<void> {
  assertCan(actor, "manage_users");
  const valid = parseInput(ZUpdateUser, input);
  const db = getDb();
  const target = await db.user.findUnique({ where: { id: userId } });
  if (!target) throw new AppError("NOT_FOUND", "no such user");
  if (target.id === actor.id && (valid.disabled || (valid.role && valid.role !== "admin"))) {
    throw invalidInput("you cannot disable yourself or remove your own admin role", { field: "role" });
  }
  await db.user.update({
    where: { id: userId },
    data: {
      ...(valid.role ? { role: valid.role } : {}),
      ...(valid.disabled !== undefined ? { disabled: valid.disabled } : {}),
    },
  });
  const changes = [
    valid.role && valid.role !== target.role ? `role ${ROLE_LABELS[target.role as Role] ?? target.role} → ${ROLE_LABELS[valid.role]}` : "",
    valid.disabled !== undefined && valid.disabled !== target.disabled ? (valid.disabled ? "disabled" : "enabled") : "",
  ].filter(Boolean);
  if (changes.length) await recordEventSafely({ actor, action: "user_update", target: { type: "user", id: userId }, summary: `${target.email}: ${changes.join(", ")}` });
}
