// One wrapper for route handlers: authenticates by session cookie or `Authorization: Bearer`
// API token, checks the permission, validates nothing itself but maps every error to one JSON
// shape and status (AppError codes, zod → 422). Anonymous → 401, wrong role → 403.

import { getServerSession } from "next-auth";
import { ZodError } from "zod";
import { AppError, HTTP_STATUS, isAppError } from "../errors";
import { authOptions } from "./options";
import { can, PASSWORD_CHANGE_MESSAGE, ROLE_LABELS, type Actor, type Permission } from "./roles";
import { actorFromToken } from "../services/api-tokens";
import { getActorById } from "../services/users";
import { zodError } from "../validate";
import { sameOriginRequest } from "./origin";

function bearerToken(req: Request): string | null {
  const auth = req.headers.get("authorization");
  return auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : null;
}

export async function actorFromRequest(req: Request): Promise<Actor | null> {
  const token = bearerToken(req);
  if (token !== null) return actorFromToken(token);
  if (!req.headers.get("cookie")) return null; // no session cookie: anonymous
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; sv?: number } | undefined;
  return user?.id ? getActorById(user.id, user.sv ?? 0) : null;
}

export function errorResponse(e: unknown): Response {
  if (e instanceof ZodError) e = zodError(e);
  if (isAppError(e)) {
    return Response.json({ error: { code: e.code, message: e.userMessage, ...e.location } }, { status: HTTP_STATUS[e.code] });
  }
  console.error(e);
  return Response.json({ error: { code: "INTERNAL", message: "internal error" } }, { status: 500 });
}

type Handler<P> = (req: Request, ctx: { actor: Actor; params: P }) => Promise<Response>;

export function withApi<P = Record<string, string>>(permission: Permission, handler: Handler<P>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const actor = await actorFromRequest(req);
      if (!actor) throw new AppError("UNAUTHORIZED", "sign in or send an API token (Authorization: Bearer …)");
      if (!bearerToken(req) && !sameOriginRequest(req)) {
        throw new AppError("FORBIDDEN", "cross-site request refused: signed in by cookie, a request that changes something must come from this app (its Origin header does not match)");
      }
      if (actor.mustChangePassword) throw new AppError("PASSWORD_CHANGE_REQUIRED", PASSWORD_CHANGE_MESSAGE);
      if (!can(actor, permission)) throw new AppError("FORBIDDEN", `your role (${ROLE_LABELS[actor.role]}) may not do this`);
      return await handler(req, { actor, params: await context.params });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
