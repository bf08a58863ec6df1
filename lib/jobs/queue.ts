// The audit queue behind an interface, so services and pages never know which queue runs: the
// embedded one (default) or BullMQ on Redis (REDIS_URL, lib/jobs/bull.ts). The embedded queue is the Audit table itself:
// a queued row is a job; a worker claims it with a lease (owner + expiry) that it renews while
// it works; a crashed worker's lease expires and another worker claims the audit again.

import { getDb } from "../db/client";
import type { RunAuditPayload } from "./definitions";
import { bullConfig, createBullQueue } from "./bull";

export const MAX_ATTEMPTS = 3;

export interface ClaimedJob {
  payload: RunAuditPayload;
  attempt: number;
}

export interface AuditQueue {
  /** Makes a queued audit available to workers. */
  enqueue(payload: RunAuditPayload): Promise<void>;
  /** Takes back a queued audit that was cancelled before a worker took it (a worker would skip it anyway). */
  withdraw(auditId: string): Promise<void>;
}

/** The embedded queue's lease operations (its worker loop claims; BullMQ workers are handed jobs). */
export interface LeaseQueue extends AuditQueue {
  /** Claims the next audit for `workerId` for `leaseMs`; null when there is none. */
  claim(workerId: string, leaseMs: number): Promise<ClaimedJob | null>;
  /** Extends the lease; false when this worker no longer holds it. */
  renew(auditId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /** Gives a claimed audit back (worker shutting down). */
  release(auditId: string, workerId: string): Promise<void>;
}

/** The embedded queue: leases on Audit rows in the database. */
export function createDbQueue(): LeaseQueue {
  return {
    async enqueue() {
      // the audit row (status "queued") is the job
    },
    async withdraw() {
      // the row's status says it all
    },
    async claim(workerId, leaseMs) {
      const db = getDb();
      const now = new Date();
      for (let tries = 0; tries < 5; tries++) {
        const candidate = await db.audit.findFirst({
          where: { OR: [{ status: "queued" }, { status: "running", leaseExpiresAt: { lt: now } }] },
          orderBy: { createdAt: "asc" },
          select: { id: true, status: true, attempts: true, leaseOwner: true, leaseExpiresAt: true, cancelRequested: true },
        });
        if (!candidate) return null;
        if (candidate.attempts >= MAX_ATTEMPTS || candidate.cancelRequested) {
          await db.audit.updateMany({
            where: { id: candidate.id, status: candidate.status, leaseOwner: candidate.leaseOwner },
            data: candidate.cancelRequested
              ? { status: "cancelled", finishedAt: now, leaseOwner: null, leaseExpiresAt: null }
              : { status: "failed", error: `the audit stopped ${candidate.attempts} times without finishing (worker crashed or was killed)`, finishedAt: now, leaseOwner: null, leaseExpiresAt: null },
          });
          continue;
        }
        // optimistic claim: only succeeds if nobody changed the row since we read it
        const claimed = await db.audit.updateMany({
          where: { id: candidate.id, status: candidate.status, leaseOwner: candidate.leaseOwner, attempts: candidate.attempts },
          data: { status: "running", leaseOwner: workerId, leaseExpiresAt: new Date(now.getTime() + leaseMs), attempts: { increment: 1 }, startedAt: now },
        });
        if (claimed.count === 1) return { payload: { auditId: candidate.id }, attempt: candidate.attempts + 1 };
      }
      return null;
    },
    async renew(auditId, workerId, leaseMs) {
      const r = await getDb().audit.updateMany({
        where: { id: auditId, leaseOwner: workerId, status: "running" },
        data: { leaseExpiresAt: new Date(Date.now() + leaseMs) },
      });
      return r.count === 1;
    },
    async release(auditId, workerId) {
      await getDb().audit.updateMany({
        where: { id: auditId, leaseOwner: workerId, status: "running" },
        data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, attempts: { decrement: 1 }, phase: null, progress: 0, message: null },
      });
    },
  };
}

/** Team mode: a BullMQ job holds the audit; its worker takes the row's lease whatever it was
 *  (BullMQ lets one worker at a time hold the job; a worker that lost it finds its lease gone and
 *  stops). False when the audit is no longer queued or running (cancelled, finished, deleted). */
export async function takeOverAudit(auditId: string, workerId: string, leaseMs: number): Promise<ClaimedJob | null> {
  const db = getDb();
  const now = new Date();
  const row = await db.audit.findUnique({ where: { id: auditId }, select: { status: true, attempts: true } });
  if (!row || (row.status !== "queued" && row.status !== "running")) return null;
  const r = await db.audit.updateMany({
    where: { id: auditId, status: { in: ["queued", "running"] } },
    data: { status: "running", leaseOwner: workerId, leaseExpiresAt: new Date(now.getTime() + leaseMs), attempts: { increment: 1 }, startedAt: now },
  });
  return r.count === 1 ? { payload: { auditId }, attempt: row.attempts + 1 } : null;
}

let queue: AuditQueue | null = null;

/** Forgets the configured queue (tests that switch REDIS_URL). */
export async function resetQueue(): Promise<void> {
  const q = queue as (AuditQueue & { close?: () => Promise<void> }) | null;
  queue = null;
  await q?.close?.();
}

/** The configured queue: BullMQ when REDIS_URL is set, else the embedded one. */
export function getQueue(): AuditQueue {
  if (!queue) {
    const cfg = bullConfig();
    queue = cfg ? createBullQueue(cfg) : createDbQueue();
  }
  return queue;
}
