// Users of each role with API tokens, for tests of permissions.

import { getDb } from "../../lib/db/client";
import { ensureDatabase } from "../../lib/db/ensure";
import { createApiToken } from "../../lib/services/api-tokens";
import { hashPassword } from "../../lib/auth/password";
import type { Actor, Role } from "../../lib/auth/roles";

export interface TestUser {
  actor: Actor;
  token: string;
  password: string;
}

export async function makeUser(role: Role, email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.local`): Promise<TestUser> {
  ensureDatabase();
  const password = `pw-${role}-12345`;
  const u = await getDb().user.create({ data: { email, name: role, role, passwordHash: await hashPassword(password) } });
  const actor: Actor = { id: u.id, email: u.email, name: u.name, role };
  const { token } = await createApiToken(actor, { name: "test" });
  return { actor, token, password };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
