// POST /api/audits/:id/review — JSON { action: "submit" | "approve" | "request_changes" | "reject",
// note, conditions?, reviewer? }: one review step (lib/services/review.ts checks the role and the
// four-eyes rule: 403 with a message). Answers the audit's review. GET answers the review alone.

import { withApi } from "@/lib/auth/api";
import { readJsonBody } from "@/lib/http/body";
import { getReview, reviewAudit } from "@/lib/services/review";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => Response.json(await getReview(actor, params.id)));

export const POST = withApi<{ id: string }>("read", async (req, { actor, params }) => {
  const body = (await readJsonBody(req, 64 * 1024)) as Record<string, unknown> | null;
  return Response.json(await reviewAudit(actor, params.id, (body ?? {}) as never));
});
