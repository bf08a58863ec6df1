// GET /api/audits/:id/spec — the audit spec as a YAML download.

import { withApi } from "@/lib/auth/api";
import { getAuditSpecYaml } from "@/lib/services/audits";
import { slugify } from "@/lib/text";

export const runtime = "nodejs";

export const GET = withApi<{ id: string }>("read", async (_req, { actor, params }) => {
  const { name, yaml } = await getAuditSpecYaml(actor, params.id);
  return new Response(yaml, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `attachment; filename="${slugify(name)}.audit.yaml"` } });
});
