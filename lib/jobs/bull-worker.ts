// Team mode's worker process: consumes audits (one at a time, the parent of each audit's flow)
// and chunks (ASSAY_WORKER_CONCURRENCY at a time, from any audit) from BullMQ. A worker killed
// mid-job leaves its job's lock to expire; BullMQ's stalled-job check hands the job to another
// worker (chunks: up to CHUNK_ATTEMPTS, with exponential backoff; audits: the parent runs again
// and reuses every chunk already done). Redis going away pauses everything; it resumes when
// Redis is back (ioredis reconnects; BullMQ keeps the jobs as long as Redis kept its data).

import os from "node:os";
import { Queue, Worker, type Job } from "bullmq";
import { getEnv } from "../env";
import { AUDIT_MAX_STALLS, AUDIT_QUEUE, CHUNK_QUEUE, connectionOptions, redisConnection, type BullConfig } from "./bull";
import { createChunkedExecutor, runChunk, type ChunkData } from "./chunks";
import { acquireExecutor, closeModelCache } from "./model-cache";
import { createDbQueue, takeOverAudit } from "./queue";
import { handleRunAudit, leaseMs } from "./run-audit-handler";
import type { RunAuditPayload } from "./definitions";
import type { WorkerHandle } from "./worker";
import { getDb } from "../db/client";

export interface BullWorkerOptions {
  cfg: BullConfig;
  workerId?: string;
  concurrency?: number;
  log?: (msg: string) => void;
}

export function startBullWorker(o: BullWorkerOptions): WorkerHandle {
  const { cfg } = o;
  const log = o.log ?? (() => {});
  const workerId = o.workerId ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const concurrency = o.concurrency ?? getEnv().ASSAY_WORKER_CONCURRENCY;
  const conn = () => connectionOptions(cfg.url);
  const redis = redisConnection(cfg.url);
  const chunkQueue = new Queue(CHUNK_QUEUE, { connection: conn(), prefix: cfg.prefix });
  const dbQueue = createDbQueue();
  let current: string | null = null;
  const common = { prefix: cfg.prefix, lockDuration: cfg.lockMs, stalledInterval: cfg.lockMs };

  const audits = new Worker<RunAuditPayload>(
    AUDIT_QUEUE,
    async (job: Job<RunAuditPayload>) => {
      const claimed = await takeOverAudit(job.data.auditId, workerId, leaseMs());
      if (!claimed) return "skipped: no longer queued or running";
      current = claimed.payload.auditId;
      log(`audit ${current}: started (attempt ${claimed.attempt})`);
      try {
        const outcome = await handleRunAudit(claimed, {
          queue: dbQueue,
          workerId,
          leaseMs: leaseMs(),
          log,
          executorFor: async (m) => {
            const ref = { path: m.path, files: m.files, backend: m.backend };
            const base = await acquireExecutor(ref);
            const chunked = createChunkedExecutor({
              auditId: claimed.payload.auditId,
              parent: { id: job.id!, queue: job.queueQualifiedName },
              prefix: cfg.prefix,
              chunkQueue,
              redis,
              model: ref,
              dataset: m.dataset,
              base: base.executor,
              slots: async () => Math.max(1, (await chunkQueue.getWorkersCount().catch(() => 1)) * concurrency),
              log: (msg) => log(`audit ${claimed.payload.auditId}: ${msg}`),
            });
            return { ...chunked, dispose: async () => { try { await chunked.dispose(); } finally { base.release(); } } };
          },
        });
        log(`audit ${current}: ${outcome}`);
        return outcome;
      } finally {
        current = null;
      }
    },
    { connection: conn(), concurrency: 1, maxStalledCount: AUDIT_MAX_STALLS, name: workerId, ...common },
  );
  const chunks = new Worker<ChunkData>(CHUNK_QUEUE, (job) => runChunk(job, redis, cfg.prefix), { connection: conn(), concurrency, name: workerId, ...common });
  audits.on("failed", (job, err) => {
    // the parent itself failed (stalled too often): the audit row says so
    if (!job) return;
    log(`audit ${job.data.auditId}: job failed: ${err.message}`);
    void getDb().audit.updateMany({ where: { id: job.data.auditId, status: { in: ["queued", "running"] } }, data: { status: "failed", error: `the audit's job failed: ${err.message}`, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null } }).catch(() => {});
  });
  chunks.on("failed", (job, err) => log(`chunk ${job?.data.label ?? "?"} of audit ${job?.data.auditId ?? "?"}: attempt ${job?.attemptsMade ?? "?"} failed: ${err.message}`));
  for (const w of [audits, chunks]) w.on("error", (e) => log(`queue error: ${e.message}`));

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  return {
    workerId,
    done,
    async stop() {
      // give the audit in progress back (another worker, or this one after a restart, runs it again)
      if (current) await dbQueue.release(current, workerId);
      await Promise.all([audits.close(true), chunks.close(true)]);
      await chunkQueue.close();
      redis.disconnect();
      await closeModelCache();
      resolveDone();
    },
  };
}
