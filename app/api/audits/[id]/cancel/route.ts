// POST /api/audits/:id/cancel — stop a queued or running audit.

import { withApi } from "@/lib/auth/api";
import { cancelAudit } from "@/lib/services/audits";

export const runtime = "nodejs";

export const POST = withApi<{ id: string }>("run_audit", async (_req, { actor, params }) => Response.json(await cancelAudit(actor, params.id)));
