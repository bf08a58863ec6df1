// POST /api/account/password — JSON { current, next }: changes the signed-in user's own password
// (session only: an API token cannot change it). Ends the user's other sessions; this session's
// cookie is re-issued. 204 on success; 422 naming the field otherwise.

import { actorFromRequest, errorResponse } from "@/lib/auth/api";
import { sameOriginRequest } from "@/lib/auth/origin";
import { reissueSessionCookie } from "@/lib/auth/reissue";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { changeOwnPassword } from "@/lib/services/users";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  try {
    const actor = await actorFromRequest(req);
    if (!actor) throw new AppError("UNAUTHORIZED", "sign in first");
    if (req.headers.get("authorization")) throw new AppError("FORBIDDEN", "a password is changed from a signed-in session, not with an API token");
    if (!sameOriginRequest(req)) throw new AppError("FORBIDDEN", "cross-site request refused: a request that changes something must come from this app (its Origin header does not match)");
    const body = (await readJsonBody(req, 4 * 1024)) as { current?: unknown; next?: unknown } | null;
    const { sessionVersion } = await changeOwnPassword(actor, { current: String(body?.current ?? ""), next: String(body?.next ?? "") });
    await reissueSessionCookie(sessionVersion);
    return new Response(null, { status: 204 });
  } catch (e) {
    return errorResponse(e);
  }
}
