// GET /api/verify/:sha256 — which audit a report hash (SHA-256 of the canonical report JSON, the
// one on the PDF's cover) belongs to, its review state, who approved it and whether the approval
// recorded this very hash. 200 with `audits: []` when no audit has it.

import { withApi } from "@/lib/auth/api";
import { lookupReportHash } from "@/lib/services/review";

export const runtime = "nodejs";

export const GET = withApi<{ sha256: string }>("read", async (_req, { actor, params }) => Response.json(await lookupReportHash(actor, params.sha256)));
