// POST /api/tokens — JSON { name, expiresInDays? } → 201 { id, token, expiresAt }: a personal API
// token for the signed-in user, shown once. Session only (a token cannot mint tokens), so a leaked
// token cannot make itself permanent. GET lists the user's tokens (never the secrets).

import { withApi } from "@/lib/auth/api";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { createApiToken, listApiTokens } from "@/lib/services/api-tokens";

export const runtime = "nodejs";

export const GET = withApi("own_tokens", async (_req, { actor }) => Response.json({ tokens: await listApiTokens(actor) }));

export const POST = withApi("own_tokens", async (req, { actor }) => {
  if (req.headers.get("authorization")) throw new AppError("FORBIDDEN", "API tokens are created from a signed-in session, not with another token");
  const body = (await readJsonBody(req, 16 * 1024)) as Record<string, unknown> | null;
  const created = await createApiToken(actor, (body ?? {}) as never);
  return Response.json(created, { status: 201 });
});
