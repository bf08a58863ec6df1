// GET /api/audits/:id/bundle — a zip that reproduces the audit: audit.yaml (paths relative to the
// zip), the dataset, the model files and report.json (see lib/services/audit-bundle.ts).

import { withApi } from "@/lib/auth/api";
import { buildAuditBundle } from "@/lib/services/audit-bundle";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => {
  const { fileName, zip } = await buildAuditBundle(actor, params.id);
  return new Response(new Uint8Array(zip), {
    headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${fileName}"`, "cache-control": "no-store" },
  });
});
