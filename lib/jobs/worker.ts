// The worker loop: claim an audit, run it, repeat; one audit at a time (each uses every core).
// With REDIS_URL set, the BullMQ worker instead (lib/jobs/bull-worker.ts).
// Started by `npm start` next to the app, or as `npm run worker` on any machine that shares the
// database and data dir.

import os from "node:os";
import { getEnv } from "../env";
import { createDbQueue, type LeaseQueue } from "./queue";
import { bullConfig } from "./bull";
import { startBullWorker } from "./bull-worker";
import { handleRunAudit, leaseMs } from "./run-audit-handler";
import { closeModelCache } from "./model-cache";

export interface WorkerHandle {
  readonly workerId: string;
  /** Stops claiming; gives back the audit in progress (another worker or restart runs it). */
  stop(): Promise<void>;
  /** Resolves when the loop has ended. */
  done: Promise<void>;
}

/** Starts this process's worker: on BullMQ when REDIS_URL is set (team mode), else the embedded lease loop. */
export function startWorker(opts: { queue?: LeaseQueue; workerId?: string; pollMs?: number; log?: (msg: string) => void } = {}): WorkerHandle {
  const cfg = opts.queue ? null : bullConfig();
  if (cfg) return startBullWorker({ cfg, workerId: opts.workerId, log: opts.log });
  const queue = opts.queue ?? createDbQueue();
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const pollMs = opts.pollMs ?? getEnv().ASSAY_JOB_POLL_MS;
  const log = opts.log ?? (() => {});
  let stopping = false;
  let current: string | null = null;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      wake = () => {
        clearTimeout(t);
        r();
      };
    });
  const done = (async () => {
    while (!stopping) {
      let job;
      try {
        job = await queue.claim(workerId, leaseMs());
      } catch (e) {
        log(`claim failed: ${(e as Error).message}`);
        await sleep(pollMs * 5);
        continue;
      }
      if (!job) {
        await sleep(pollMs);
        continue;
      }
      current = job.payload.auditId;
      log(`audit ${current}: started (attempt ${job.attempt})`);
      const outcome = await handleRunAudit(job, { queue, workerId, leaseMs: leaseMs(), log, keepExecutor: true });
      log(`audit ${current}: ${outcome}`);
      current = null;
    }
    await closeModelCache(); // the thread pools kept between audits
  })();
  return {
    workerId,
    done,
    async stop() {
      stopping = true;
      wake?.();
      if (current) await queue.release(current, workerId);
    },
  };
}
