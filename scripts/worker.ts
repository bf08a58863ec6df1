// `npm run worker`: a job worker process. Run as many as you like, on any machine that sees the
// same database and data dir.

import { ensureDatabase } from "../lib/db/ensure";
import { closeDb } from "../lib/db/client";
import { startWorker } from "../lib/jobs/worker";

ensureDatabase();
const worker = startWorker({ log: (m) => process.stdout.write(`[worker] ${m}\n`) });
process.stdout.write(`[worker] ${worker.workerId} waiting for audits\n`);
const shutdown = async () => {
  await worker.stop();
  await closeDb();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
