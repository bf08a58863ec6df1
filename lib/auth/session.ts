// Who is asking, on the server: pages and server actions use requireActor / requirePermission;
// route handlers use lib/auth/api.ts (which also accepts API tokens).

import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "./options";
import { can, type Actor, type Permission } from "./roles";
import { getActorById } from "../services/users";

/** The signed-in user (fresh from the database), or null. Read once per server render: the
 *  layout and the page of one request share it (React's per-request cache). */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; sv?: number } | undefined;
  return user?.id ? getActorById(user.id, user.sv ?? 0) : null;
});

/** The signed-in user; anonymous visitors are sent to the sign-in page. */
export async function requireActor(returnTo = "/"): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  // a one-time password: every page answers with the form to choose one's own
  if (actor.mustChangePassword) redirect(`/change-password?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}

/** The signed-in user with this permission; others see the "not allowed" page. */
export async function requirePermission(permission: Permission, returnTo = "/"): Promise<Actor> {
  const actor = await requireActor(returnTo);
  if (!can(actor, permission)) redirect(`/forbidden?need=${permission}`);
  return actor;
}
