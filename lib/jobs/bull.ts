// Team mode's queue: BullMQ on Redis (REDIS_URL). Two queues under ASSAY_QUEUE_PREFIX:
// `assay-audits` holds one job per audit (the parent: load, score, performance, fairness,
// merge, report), `assay-chunks` the child jobs an audit splits its expensive analyses into
// (lib/jobs/chunks.ts). Every worker process consumes both (lib/jobs/bull-worker.ts).

import { Queue, type ConnectionOptions } from "bullmq";
import IORedis from "ioredis";
import { getEnv } from "../env";
import type { AuditQueue } from "./queue";

export const AUDIT_QUEUE = "assay-audits";
export const CHUNK_QUEUE = "assay-chunks";
/** Parent jobs survive this many stalls (a worker killed while holding it) before they fail. */
export const AUDIT_MAX_STALLS = 3;
/** Chunks: attempts (a thrown error or a stall each count) and the first retry's delay. */
export const CHUNK_ATTEMPTS = 3;
export const CHUNK_BACKOFF_MS = 1000;

export interface BullConfig {
  url: string;
  prefix: string;
  lockMs: number;
}

export function bullConfig(): BullConfig | null {
  const env = getEnv();
  if (!env.REDIS_URL) return null;
  return { url: env.REDIS_URL, prefix: env.ASSAY_QUEUE_PREFIX, lockMs: env.ASSAY_QUEUE_LOCK_MS };
}

/** A Redis connection of our own (shared chunk inputs, cancel flags); commands wait while Redis is away. */
export function redisConnection(url: string): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** Connection options for BullMQ's own connections (it opens and closes them): redis[s]://[user:pass@]host[:port][/db]. */
export function connectionOptions(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) ? { db } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  } as ConnectionOptions;
}

/** The audit queue on BullMQ: one job per audit, its id the audit's id (adding it twice is a no-op). */
export function createBullQueue(cfg: BullConfig): AuditQueue & { close(): Promise<void> } {
  let q: Queue | null = null;
  const queue = () => {
    if (!q) {
      q = new Queue(AUDIT_QUEUE, { connection: connectionOptions(cfg.url), prefix: cfg.prefix });
      // while Redis is away, adding a job waits (and the caller's request with it); say so once a minute
      let said = 0;
      q.on("error", (e) => {
        if (Date.now() - said < 60_000) return;
        said = Date.now();
        process.stderr.write(`[assay] Redis (${cfg.url.replace(/\/\/[^@]*@/, "//…@")}) unreachable: ${e.message}\n`);
      });
    }
    return q;
  };
  return {
    async enqueue(payload) {
      await queue().add("run-audit", payload, { jobId: payload.auditId, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
    },
    async withdraw(auditId) {
      await queue().remove(auditId).catch(() => 0); // a job a worker already holds stays; the worker skips it
    },
    async close() {
      await q?.close();
      q = null;
    },
  };
}

/** Deletes every key under `prefix:` (tests and benchmarks clean up their own prefix; nothing else is touched). */
export async function deleteQueueKeys(url: string, prefix: string): Promise<number> {
  const r = new IORedis(url);
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) deleted += await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
  return deleted;
}
