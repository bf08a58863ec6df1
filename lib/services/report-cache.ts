// Stored reports are immutable once their audit has finished (a re-run writes a new audit), so
// the parsed report is kept in a small in-process cache keyed by audit id and finish time: the
// audit page, the status endpoint and the report download parse a 400 KB JSON column once,
// not on every request. Bounded by entries (least recently used evicted).

import { getDb } from "../db/client";
import type { Report } from "../report/types";
import { reportJson } from "../report/json";

const MAX_ENTRIES = 32;

interface Entry {
  key: string;
  report: Report;
  pretty?: string;
  compact?: string;
}

const cache = new Map<string, Entry>();

function keyOf(id: string, finishedAt: Date | null): string {
  return `${id}@${finishedAt?.getTime() ?? "none"}`;
}

function remember(id: string, entry: Entry): Entry {
  cache.delete(id);
  cache.set(id, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return entry;
}

async function entryOf(id: string, finishedAt: Date | null): Promise<Entry | null> {
  const key = keyOf(id, finishedAt);
  const hit = cache.get(id);
  if (hit && hit.key === key) return remember(id, hit);
  const row = await getDb().audit.findUnique({ where: { id }, select: { report: true, finishedAt: true } });
  if (!row?.report) return null;
  return remember(id, { key: keyOf(id, row.finishedAt), report: row.report as unknown as Report });
}

/** The stored report of a finished audit (null when it has none). */
export async function storedReport(id: string, finishedAt: Date | null): Promise<Report | null> {
  return (await entryOf(id, finishedAt))?.report ?? null;
}

/** The report as the JSON of the download (lib/report/json.ts), serialised once. */
export async function storedReportJson(id: string, finishedAt: Date | null): Promise<string | null> {
  const e = await entryOf(id, finishedAt);
  if (!e) return null;
  e.pretty ??= reportJson(e.report);
  return e.pretty;
}

/** The report as compact JSON (the status endpoint's `report` member), serialised once. */
export async function storedReportCompact(id: string, finishedAt: Date | null): Promise<string | null> {
  const e = await entryOf(id, finishedAt);
  if (!e) return null;
  e.compact ??= JSON.stringify(e.report);
  return e.compact;
}

/** For tests. */
export function clearReportCache(): void {
  cache.clear();
}
