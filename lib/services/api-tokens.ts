// Use-cases for personal API tokens: created (shown once), listed, revoked; only SHA-256 stored.

import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "../errors";
import { getDb } from "../db/client";
import { assertCan, isRole, type Actor } from "../auth/roles";
import { parseInput } from "../validate";

const PREFIX = "assay_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const ZCreateToken = z.object({ name: z.string().trim().min(1, "give the token a name").max(100) });

export async function createApiToken(actor: Actor | null, input: z.input<typeof ZCreateToken>): Promise<{ id: string; token: string }> {
  assertCan(actor, "own_tokens");
  const valid = parseInput(ZCreateToken, input, { field: "name" });
  const token = PREFIX + randomBytes(24).toString("base64url");
  const row = await getDb().apiToken.create({ data: { userId: actor.id, name: valid.name, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) } });
  return { id: row.id, token };
}

export async function listApiTokens(actor: Actor | null) {
  assertCan(actor, "own_tokens");
  return getDb().apiToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiToken(actor: Actor | null, tokenId: string): Promise<void> {
  assertCan(actor, "own_tokens");
  const db = getDb();
  const t = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!t || t.userId !== actor.id) throw new AppError("NOT_FOUND", "no such token");
  await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
}

/** The actor a bearer token stands for; null when unknown, revoked or its user is disabled. */
export async function actorFromToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX)) return null;
  const db = getDb();
  const t = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!t || t.revokedAt || t.user.disabled) return null;
  await db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: new Date() } });
  return { id: t.user.id, email: t.user.email, name: t.user.name || t.user.email, role: isRole(t.user.role) ? t.user.role : "reviewer" };
}
