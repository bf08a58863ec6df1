// The audit trail: an append-only log of every change, each event carrying the SHA-256 of the one
// before it (a hash chain). An event's hash covers its sequence number, time, actor, action,
// target, project, summary and the previous hash, so editing any field of a stored event, deleting
// one or inserting one breaks the chain at that point, and `verifyEventChain` names the first
// broken link. (Cutting events off the end leaves a shorter valid chain: keep the latest hash the
// Activity page shows, or export the log, to detect that.)
//
// Appending: the next event's seq is the last + 1 and its prevHash the last's hash; `prevHash` and
// `seq` are unique, so two processes appending at once cannot fork the chain — the loser of the
// race retries on the new head. Events are written after the change they describe succeeded.

import { createHash } from "node:crypto";
import { z } from "zod";
import { getDb } from "../db/client";
import { assertCan, type Actor } from "../auth/roles";
import { AppError } from "../errors";
import { canonicalJson } from "../report/hash";
import { parseInput } from "../validate";
import { EVENT_ACTIONS, type EventAction } from "../events-vocabulary";

export const GENESIS_HASH = "0".repeat(64);

export interface EventTarget {
  type: "user" | "token" | "project" | "dataset" | "model_version" | "audit" | "session";
  id: string;
}

export interface RecordEventInput {
  /** Who acted: a signed-in user, or an email for a failed sign-in, or null for the system (the worker). */
  actor: Pick<Actor, "id" | "email"> | { id: null; email: string } | null;
  action: EventAction;
  target: EventTarget;
  projectId?: string | null;
  /** A short before/after summary: "role reviewer → admin", "status succeeded, passed". */
  summary: string;
  /** For tests: the time to record (default now). */
  at?: Date;
}

export interface StoredEvent {
  seq: number;
  at: Date;
  actorId: string | null;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  projectId: string | null;
  summary: string;
  prevHash: string;
  hash: string;
}

const MAX_SUMMARY = 2000;

/** The hash of an event: SHA-256 over the canonical JSON of every field but the hash itself. */
export function eventHash(e: Omit<StoredEvent, "hash">): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        seq: e.seq,
        at: e.at.toISOString(),
        actorId: e.actorId,
        actorEmail: e.actorEmail,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        projectId: e.projectId,
        summary: e.summary,
        prevHash: e.prevHash,
      }),
    )
    .digest("hex");
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  const msg = String((e as Error).message ?? "");
  return code === "P2002" || /UNIQUE constraint failed|unique constraint|duplicate key/i.test(msg);
}

/** Appends one event to the chain; returns it. Retries when another process appended first. */
export async function recordEvent(input: RecordEventInput): Promise<StoredEvent> {
  const db = getDb();
  const summary = input.summary.length > MAX_SUMMARY ? `${input.summary.slice(0, MAX_SUMMARY - 1)}…` : input.summary;
  for (let attempt = 0; ; attempt++) {
    const last = await db.event.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const base = {
      seq: (last?.seq ?? 0) + 1,
      // milliseconds, as the database keeps them, so the hash recomputes from the stored row
      at: new Date(Math.floor((input.at ?? new Date()).getTime())),
      actorId: input.actor?.id ?? null,
      actorEmail: input.actor?.email ?? "system",
      action: input.action,
      targetType: input.target.type,
      targetId: input.target.id,
      projectId: input.projectId ?? null,
      summary,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const event = { ...base, hash: eventHash(base) };
    try {
      await db.event.create({ data: event });
      return event;
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
  }
}

/** Records an event without letting a failure to record it undo the change it describes: logs instead. */
export async function recordEventSafely(input: RecordEventInput): Promise<void> {
  try {
    await recordEvent(input);
  } catch (e) {
    console.error(`[assay] could not record event ${input.action} on ${input.target.type} ${input.target.id}: ${(e as Error).message}`);
  }
}

export interface ChainCheck {
  ok: boolean;
  /** Events checked. */
  count: number;
  /** The latest event's hash (the chain's head). */
  head: string;
  /** The first broken link, if any. */
  broken?: { seq: number; reason: string };
}

/** Walks the whole log in order, recomputing every hash and link. */
export async function verifyEventChain(): Promise<ChainCheck> {
  const db = getDb();
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let count = 0;
  let cursor = 0;
  for (;;) {
    const page = await db.event.findMany({ where: { seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: 1000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.seq !== expectSeq) return { ok: false, count, head: prev, broken: { seq: expectSeq, reason: `event ${expectSeq} is missing (the next stored event is ${e.seq})` } };
      if (e.prevHash !== prev) return { ok: false, count, head: prev, broken: { seq: e.seq, reason: `event ${e.seq} does not follow event ${e.seq - 1}: its previous hash is ${e.prevHash.slice(0, 12)}…, event ${e.seq - 1} hashes to ${prev.slice(0, 12)}…` } };
      const h = eventHash(e);
      if (h !== e.hash) return { ok: false, count, head: prev, broken: { seq: e.seq, reason: `event ${e.seq} was changed after it was recorded: its fields hash to ${h.slice(0, 12)}…, it says ${e.hash.slice(0, 12)}…` } };
      prev = e.hash;
      expectSeq++;
      count++;
      cursor = e.seq;
    }
  }
  return { ok: true, count, head: prev };
}

export const ZEventFilter = z.object({
  actor: z.string().trim().max(320).optional(),
  action: z.enum(EVENT_ACTIONS).optional(),
  target: z
    .string()
    .trim()
    .regex(/^[a-z_]+:[A-Za-z0-9_-]{1,64}$/, "target is TYPE:ID, e.g. audit:clx…")
    .optional(),
  project: z.string().trim().max(100).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  take: z.coerce.number().int().min(1).max(5000).default(200),
});

/** Events, newest first, filtered; admins and reviewers. `actor` matches an email or a user id. */
export async function listEvents(actor: Actor | null, input: z.input<typeof ZEventFilter>): Promise<StoredEvent[]> {
  assertCan(actor, "read_trail");
  const f = parseInput(ZEventFilter, input);
  let projectId: string | undefined;
  if (f.project) {
    const p = await getDb().project.findUnique({ where: { slug: f.project }, select: { id: true } });
    if (!p) throw new AppError("NOT_FOUND", `no project "${f.project}"`);
    projectId = p.id;
  }
  const [targetType, targetId] = f.target ? f.target.split(":") : [undefined, undefined];
  return getDb().event.findMany({
    where: {
      ...(f.actor ? { OR: [{ actorEmail: f.actor.toLowerCase() }, { actorId: f.actor }] } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(targetType ? { targetType, targetId } : {}),
      ...(projectId ? { projectId } : {}),
      ...(f.since || f.until ? { at: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lte: f.until } : {}) } } : {}),
    },
    orderBy: { seq: "desc" },
    take: f.take,
  });
}

/** One audit's own history (anyone who may read the audit). */
export async function auditEvents(actor: Actor | null, auditId: string): Promise<StoredEvent[]> {
  assertCan(actor, "read");
  return getDb().event.findMany({ where: { targetType: "audit", targetId: auditId }, orderBy: { seq: "asc" }, take: 500 });
}

function csvCell(v: string): string {
  // quoted always; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The events as CSV (with every hash, so the export can be checked on its own). */
export function eventsCsv(events: StoredEvent[]): string {
  const head = ["seq", "time", "actor", "action", "target_type", "target_id", "project_id", "summary", "prev_hash", "hash"];
  const rows = events.map((e) => [String(e.seq), e.at.toISOString(), e.actorEmail, e.action, e.targetType, e.targetId, e.projectId ?? "", e.summary, e.prevHash, e.hash].map(csvCell).join(","));
  return `${head.join(",")}\n${rows.join("\n")}${rows.length ? "\n" : ""}`;
}
