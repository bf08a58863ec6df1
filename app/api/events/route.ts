// GET /api/events — the audit trail, newest first (admins and reviewers). Filters: actor (email
// or user id), action, target (TYPE:ID, e.g. audit:<id>), project (slug), since, until, take;
// `format=csv` answers the same events as CSV with their hashes.

import { withApi } from "@/lib/auth/api";
import { eventsCsv, listEvents } from "@/lib/services/events";

export const runtime = "nodejs";

export const GET = withApi("read_trail", async (req, { actor }) => {
  const q = Object.fromEntries(new URL(req.url).searchParams);
  const { format, ...filter } = q;
  const events = await listEvents(actor, filter as never);
  if (format === "csv") return new Response(eventsCsv(events), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="assay-activity.csv"` } });
  return Response.json({ events: events.map((e) => ({ ...e, at: e.at.toISOString() })) });
});
