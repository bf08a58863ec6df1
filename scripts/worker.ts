// `npm run worker`: a job worker process. Run as many as you like, on any machine that sees the
// same database and data dir.

import { prepareDatabase } from "../lib/db/ensure";
import { closeDb } from "../lib/db/client";
import { startWorker } from "../lib/jobs/worker";
import { lowerPriority } from "../lib/jobs/priority";
import { getEnv } from "../lib/env";
import { bullConfig } from "../lib/jobs/bull";

// below the web server's priority before any analysis thread exists (ASSAY_WORKER_NICE)
if (getEnv().ASSAY_WORKER_NICE > 0) lowerPriority(getEnv().ASSAY_WORKER_NICE);
void prepareDatabase().then(() => {
  const worker = startWorker({ log: (m) => process.stdout.write(`[worker] ${m}\n`) });
  const bull = bullConfig();
  const where = bull ? `BullMQ on ${bull.url.replace(/\/\/[^@]*@/, "//…@")} (prefix ${bull.prefix}, ${getEnv().ASSAY_WORKER_CONCURRENCY} chunk${getEnv().ASSAY_WORKER_CONCURRENCY === 1 ? "" : "s"} at a time)` : "the embedded queue";
  process.stdout.write(`[worker] ${worker.workerId} waiting for audits from ${where}\n`);
  const shutdown = async () => {
    await worker.stop();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}, (e: unknown) => {
  process.stderr.write(`[worker] the database could not be prepared: ${(e as Error).message}\n`);
  process.exit(1);
});
