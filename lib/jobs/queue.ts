// The audit queue behind an interface, so a Redis/BullMQ queue can replace the embedded one
// without touching services, pages or the engine. The embedded queue is the Audit table itself:
// a queued row is a job; a worker claims it with a lease (owner + expiry) that it renews while
// it works; a crashed worker's lease expires and another worker claims the audit again.

import { getDb } from "../db/client";
import type { RunAuditPayload } from "./definitions";

export const MAX_ATTEMPTS = 3;

export interface ClaimedJob {
  payload: RunAuditPayload;
  attempt: number;
}

export interface AuditQueue {
  /** Makes a queued audit available to workers. */
  enqueue(payload: RunAuditPayload): Promise<void>;
  /** Claims the next audit for `workerId` for `leaseMs`; null when there is none. */
  claim(workerId: string, leaseMs: number): Promise<ClaimedJob | null>;
  /** Extends the lease; false when this worker no longer holds it. */
  renew(auditId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /** Gives a claimed audit back (worker shutting down). */
  release(auditId: string, workerId: string): Promise<void>;
}

/** The embedded queue: leases on Audit rows in the database. */
export function createDbQueue(): AuditQueue {
  return {
    async enqueue() {
      // the audit row (status "queued") is the job
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

let queue: AuditQueue | null = null;

/** The configured queue (embedded by default). */
export function getQueue(): AuditQueue {
  queue ??= createDbQueue();
  return queue;
}
