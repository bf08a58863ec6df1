// `npm start`: migrate the embedded database, seed the demo on first start, build the app when
// its sources changed, then serve it on PORT (default 3000).

import { spawn } from "node:child_process";
import path from "node:path";
import { getEnv, dataDir } from "../lib/env";
import { ensureDatabase } from "../lib/db/ensure";
import { closeDb } from "../lib/db/client";
import { seedDemo } from "./seed-demo";
import { buildIfNeeded, NEXT_BIN } from "./build";

const ROOT = path.join(__dirname, "..");

function log(msg: string): void {
  process.stdout.write(`[assay] ${msg}\n`);
}

async function main(): Promise<void> {
  const env = getEnv();
  log(`data dir: ${dataDir()}`);
  const applied = ensureDatabase();
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database is up to date");
  const seeded = await seedDemo((m) => log(m));
  if (seeded) log(`seeded the demo: ${seeded} audits`);
  await closeDb();
  buildIfNeeded(log);
  log(`serving on http://localhost:${env.PORT}`);
  const server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(env.PORT)], { cwd: ROOT, stdio: "inherit", env: process.env });
  const stop = (signal: NodeJS.Signals) => {
    server.kill(signal);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => {
    process.exitCode = code ?? 0;
  });
}

main().catch((e) => {
  process.stderr.write(`[assay] start failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
