// `npm start`: migrate the embedded database, create the first admin and seed the demo on first
// start, build the app when its sources changed, then serve it on PORT (default 3000) with one
// job worker process next to it; each is restarted if it dies (scripts/supervise.ts).

import { spawn } from "node:child_process";
import path from "node:path";
import { getEnv, dataDir } from "../lib/env";
import { prepareDatabase } from "../lib/db/ensure";
import { closeDb } from "../lib/db/client";
import { seedDemo } from "./seed-demo";
import { ensureAdmin } from "../lib/services/users";
import { authSecret } from "../lib/auth/secret";
import { buildIfNeeded, NEXT_BIN } from "./build";
import { supervise } from "./supervise";

const ROOT = path.join(__dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function log(msg: string): void {
  process.stdout.write(`[assay] ${msg}\n`);
}

async function main(): Promise<void> {
  const env = getEnv();
  log(`data dir: ${dataDir()}`);
  const applied = await prepareDatabase();
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database is up to date");
  const admin = await ensureAdmin();
  if (admin) {
    log(admin.password ? `created the first admin: ${admin.email} with password ${admin.password}  (shown once; change it or set ASSAY_ADMIN_PASSWORD)` : `created the first admin: ${admin.email}`);
  }
  const seeded = await seedDemo((m) => log(m));
  if (seeded) log(`seeded the demo: ${seeded} audits`);
  await closeDb();
  buildIfNeeded(log);
  const childEnv = { ...process.env, NEXTAUTH_SECRET: authSecret(), NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}` };
  log(`serving on http://localhost:${env.PORT}`);
  const server = supervise({ name: "web server", log, start: () => spawn(process.execPath, [NEXT_BIN, "start", "-p", String(env.PORT)], { cwd: ROOT, stdio: "inherit", env: childEnv }) });
  const worker = supervise({ name: "worker", log, start: () => spawn(process.execPath, [TSX_CLI, path.join(ROOT, "scripts", "worker.ts")], { cwd: ROOT, stdio: "inherit", env: childEnv }) });
  const stop = (signal: NodeJS.Signals) => {
    void Promise.all([server.stop(signal), worker.stop(signal)]).then(() => {
      process.exitCode = 0;
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`[assay] start failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
