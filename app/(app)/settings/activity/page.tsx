// Settings → Activity: the audit trail (admins and reviewers). Filter by actor, action, project
// and dates; export the filtered events as CSV (with their hashes); verify the whole hash chain.

import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { EVENT_ACTIONS, EVENT_ACTION_LABELS, isEventAction } from "@/lib/events-vocabulary";
import { listEvents, verifyEventChain, type ChainCheck, type StoredEvent } from "@/lib/services/events";

export const dynamic = "force-dynamic";

type Query = { actor?: string; action?: string; project?: string; since?: string; until?: string; verify?: string };

const TARGET_LINK: Record<string, (id: string) => string | null> = {
  audit: (id) => `/audits/${id}`,
};

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Query> }) {
  const actor = await requirePermission("read_trail", "/settings/activity");
  const q = await searchParams;
  const filter = {
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action && isEventAction(q.action) ? { action: q.action } : {}),
    ...(q.project ? { project: q.project } : {}),
    ...(q.since ? { since: q.since } : {}),
    // "until" a date means through the end of that day
    ...(q.until ? { until: /^\d{4}-\d{2}-\d{2}$/.test(q.until) ? `${q.until}T23:59:59.999Z` : q.until } : {}),
  };
  let events: StoredEvent[] = [];
  let error: string | null = null;
  try {
    events = await listEvents(actor, { ...filter, take: 500 });
  } catch (e) {
    if (!isAppError(e)) throw e;
    error = e.userMessage;
  }
  const check: ChainCheck | null = q.verify ? await verifyEventChain() : null;
  const csvHref = `/api/events?${new URLSearchParams({ ...filter, format: "csv", take: "5000" }).toString()}`;
  const verifyHref = `/settings/activity?${new URLSearchParams({ ...q, verify: "1" }).toString()}`;
  return (
    <>
      <p className="crumbs">
        <Link href="/settings">Settings</Link> /
      </p>
      <h1>Activity</h1>
      <p className="muted">Every change in this Assay, oldest events chained to newer ones by SHA-256: editing or deleting a stored event breaks the chain at that event.</p>
      <form className="filters actions" method="get">
        <label className="field">
          <span>Who (email)</span>
          <input name="actor" defaultValue={q.actor ?? ""} />
        </label>
        <label className="field">
          <span>What</span>
          <select name="action" defaultValue={q.action ?? ""}>
            <option value="">Any action</option>
            {EVENT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {EVENT_ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Project (slug)</span>
          <input name="project" defaultValue={q.project ?? ""} />
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" name="since" defaultValue={q.since ?? ""} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" name="until" defaultValue={q.until ?? ""} />
        </label>
        <button className="btn" type="submit">
          Filter
        </button>
        <a className="btn" href={csvHref} download>
          Export CSV
        </a>
        <Link className="btn" href={verifyHref}>
          Verify chain
        </Link>
      </form>
      {check ? (
        check.ok ? (
          <div className="notice pass" role="status">
            <strong>The chain is intact:</strong> {check.count.toLocaleString("en-US")} events, each linked to the one before. Latest hash <code className="hash">{check.head}</code> (keep it: a trail cut short after this point would end at a different hash).
          </div>
        ) : (
          <div className="notice error" role="alert">
            <strong>The chain is broken at event {check.broken!.seq}:</strong> {check.broken!.reason}. The {check.count.toLocaleString("en-US")} events before it check out.
          </div>
        )
      ) : null}
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      {events.length === 0 ? (
        <p className="empty">No events match.</p>
      ) : (
        <div className="scroll-x">
          <table className="data">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Who</th>
                <th>What</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => {
                const href = TARGET_LINK[e.targetType]?.(e.targetId) ?? null;
                return (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{formatDate(e.at)}</td>
                    <td>{e.actorEmail}</td>
                    <td>{isEventAction(e.action) ? EVENT_ACTION_LABELS[e.action] : e.action}</td>
                    <td>{href ? <Link href={href}>{e.targetType.replace("_", " ")}</Link> : e.targetType.replace("_", " ")}</td>
                    <td>{e.summary}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {events.length === 500 ? <p className="muted small">The 500 newest matching events; narrow the filter or export CSV for up to 5,000.</p> : null}
    </>
  );
}
