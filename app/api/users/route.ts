// POST /api/users (admins) — JSON { email, name?, role } → 201 { id, email, role, oneTimePassword }:
// provisions a user from a script. The one-time password is shown once; the user must choose
// their own at first sign-in. GET lists the users (admins).

import { withApi } from "@/lib/auth/api";
import { readJsonBody } from "@/lib/http/body";
import { createUser, listUsers } from "@/lib/services/users";

export const runtime = "nodejs";

export const GET = withApi("manage_users", async (_req, { actor }) => Response.json({ users: await listUsers(actor) }));

export const POST = withApi("manage_users", async (req, { actor }) => {
  const body = (await readJsonBody(req, 16 * 1024)) as Record<string, unknown> | null;
  const u = await createUser(actor, { email: String(body?.email ?? ""), name: typeof body?.name === "string" ? body.name : undefined, role: body?.role as never });
  return Response.json({ id: u.id, email: u.email, name: u.name, role: u.role, oneTimePassword: u.oneTimePassword }, { status: 201 });
});
