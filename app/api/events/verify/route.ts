// GET /api/events/verify — walks the whole audit trail and reports the first broken link, if any
// (admins and reviewers). Same check as `npx assay verify-log`.

import { withApi } from "@/lib/auth/api";
import { verifyEventChain } from "@/lib/services/events";

export const runtime = "nodejs";

export const GET = withApi("read_trail", async () => Response.json(await verifyEventChain()));
