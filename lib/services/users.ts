// Use-cases for accounts: the first admin, signing in with a password, managing users (admins).

import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { ROLE_LABELS, assertCan, isRole, ROLES, type Actor, type Role } from "../auth/roles";
import { generatePassword, hashPassword, verifyPassword } from "../auth/password";
import { parseInput } from "../validate";
import { recordEventSafely } from "./events";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

function toActor(u: { id: string; email: string; name: string; role: string }): Actor {
  return { id: u.id, email: u.email, name: u.name || u.email, role: isRole(u.role) ? u.role : "reviewer" };
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

/** Email + password sign-in; null on any mismatch (no hint which part was wrong). */
export async function authenticateWithPassword(email: string, password: string): Promise<Actor | null> {
  const user = await getDb().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // an unknown email (or an SSO account) costs the same bcrypt work as a known one, so the time
  // taken does not reveal which emails have accounts
  const ok = await verifyPassword(password.slice(0, 200), user?.passwordHash ?? (await dummyHash()));
  if (!user || user.disabled || !user.passwordHash) return null;
  return ok ? toActor(user) : null;
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

/** The current state of a signed-in user (role changes and disabling take effect at once). */
export async function getActorById(id: string): Promise<Actor | null> {
  const user = await getDb().user.findUnique({ where: { id } });
  return user && !user.disabled ? toActor(user) : null;
}

export const ZCreateUser = z.object({
  email: z.string().trim().toLowerCase().email("enter a valid email address"),
  name: z.string().trim().max(200).default(""),
  role: z.enum(ROLES),
  password: z.string().min(8, "at least 8 characters").max(200),
});

export async function createUser(actor: Actor | null, input: z.input<typeof ZCreateUser>): Promise<UserSummary> {
  assertCan(actor, "manage_users");
  const valid = parseInput(ZCreateUser, input);
  const db = getDb();
  if (await db.user.findUnique({ where: { email: valid.email } })) throw invalidInput("a user with this email exists", { field: "email" });
  const u = await db.user.create({ data: { email: valid.email, name: valid.name, role: valid.role, passwordHash: await hashPassword(valid.password) } });
  await recordEventSafely({ actor, action: "user_create", target: { type: "user", id: u.id }, summary: `${u.email}, ${ROLE_LABELS[valid.role]}` });
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role, disabled: u.disabled, createdAt: u.createdAt };
}

export async function listUsers(actor: Actor | null): Promise<UserSummary[]> {
  assertCan(actor, "manage_users");
  const users = await getDb().user.findMany({ orderBy: { createdAt: "asc" } });
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: (isRole(u.role) ? u.role : "reviewer") as Role, disabled: u.disabled, createdAt: u.createdAt }));
}

export const ZUpdateUser = z.object({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(8, "at least 8 characters").max(200).optional(),
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
      ...(valid.password ? { passwordHash: await hashPassword(valid.password) } : {}),
    },
  });
  const changes = [
    valid.role && valid.role !== target.role ? `role ${ROLE_LABELS[target.role as Role] ?? target.role} → ${ROLE_LABELS[valid.role]}` : "",
    valid.disabled !== undefined && valid.disabled !== target.disabled ? (valid.disabled ? "disabled" : "enabled") : "",
  ].filter(Boolean);
  if (changes.length) await recordEventSafely({ actor, action: "user_update", target: { type: "user", id: userId }, summary: `${target.email}: ${changes.join(", ")}` });
  if (valid.password) await recordEventSafely({ actor, action: "password_reset", target: { type: "user", id: userId }, summary: `${target.email}: password set by an admin` });
}
