// Use-cases for personal API tokens: created (shown once), listed, revoked; only SHA-256 stored.

import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import { getDb } from "../db/client";
import { assertCan, isRole, type Actor } from "../auth/roles";
import { parseInput } from "../validate";
import { recordEventSafely } from "./events";

const PREFIX = "assay_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const ZCreateToken = z.object({
  name: z.string().trim().min(1, "give the token a name").max(100),
  /** Days until the token stops working (none: it never expires). */
  expiresInDays: z.coerce.number({ error: "expiresInDays is a number of days" }).int("expiresInDays is a whole number of days").min(1, "expiresInDays is at least 1").max(3650, "expiresInDays is at most 3650").optional(),
});

export async function createApiToken(actor: Actor | null, input: z.input<typeof ZCreateToken>): Promise<{ id: string; token: string; expiresAt: string | null }> {
  assertCan(actor, "own_tokens");
  const valid = parseInput(ZCreateToken, input, { field: "name" });
  const token = PREFIX + randomBytes(24).toString("base64url");
  const expiresAt = valid.expiresInDays ? new Date(Date.now() + valid.expiresInDays * 86_400_000) : null;
  const row = await getDb().apiToken.create({ data: { userId: actor.id, name: valid.name, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6), expiresAt } });
  await recordEventSafely({ actor, action: "token_create", target: { type: "token", id: row.id }, summary: `“${valid.name}” (${row.prefix}…)${expiresAt ? `, expires ${expiresAt.toISOString().slice(0, 10)}` : ", no expiry"}` });
  return { id: row.id, token, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function listApiTokens(actor: Actor | null) {
  assertCan(actor, "own_tokens");
  return getDb().apiToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true },
  });
}

export async function revokeApiToken(actor: Actor | null, tokenId: string): Promise<void> {
  assertCan(actor, "own_tokens");
  const db = getDb();
  const t = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!t || t.userId !== actor.id) throw new AppError("NOT_FOUND", "no such token");
  await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
  await recordEventSafely({ actor, action: "token_revoke", target: { type: "token", id: tokenId }, summary: `“${t.name}” (${t.prefix}…)` });
}

/** The actor a bearer token stands for; null when unknown, revoked, expired or its user is disabled. */
export async function actorFromToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX)) return null;
  const db = getDb();
  const t = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!t || t.revokedAt || t.user.disabled) return null;
  if (t.expiresAt && t.expiresAt.getTime() <= Date.now()) return null;
  await db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: new Date() } });
  return { id: t.user.id, email: t.user.email, name: t.user.name || t.user.email, role: isRole(t.user.role) ? t.user.role : "reviewer", ...(t.user.mustChangePassword ? { mustChangePassword: true } : {}) };
}
