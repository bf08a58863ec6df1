// Use-cases for accounts: the first admin, signing in with a password, managing users (admins).

import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { getEnv } from "../env";
import { assertCan, isRole, ROLES, type Actor, type Role } from "../auth/roles";
import { generatePassword, hashPassword, verifyPassword } from "../auth/password";
import { parseInput } from "../validate";

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
  if (!user || user.disabled || !user.passwordHash) return null;
  return (await verifyPassword(password, user.passwordHash)) ? toActor(user) : null;
}

/** Single sign-on: the user with this email, created with the default SSO role on first sign-in. */
export async function findOrCreateSsoUser(email: string, name: string): Promise<Actor | null> {
  const db = getDb();
  const normalized = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalized } });
  if (existing) return existing.disabled ? null : toActor(existing);
  return toActor(await db.user.create({ data: { email: normalized, name, role: getEnv().ASSAY_OIDC_DEFAULT_ROLE } }));
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
}
