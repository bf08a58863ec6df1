// Benchmark: the built app under load. 20 closed-loop clients (no think time, like
// `autocannon -c 20`), signed in by API token and session cookie, browse the seeded demo's
// reports and the REST API for 15 s while the worker runs two Adult GBM audits queued through
// POST /api/audits (scripts/loadtest.ts `runLoadScenario`); before that, one client for 5 s with
// the worker idle gives each route's own service time. Runs in its own data dir; prints a table.
// Target: p95 < 500 ms with 20 clients and 2 audits running (PASS/MISS: a miss does not fail the
// run; a 5xx, a network error or a failed audit does). `npm run bench -- load`.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-load-"));
process.env.ASSAY_DATA_DIR = dir;

const CLIENTS = 20;
const SECONDS = 15;
const P95_TARGET_MS = 500;

async function main(): Promise<void> {
  const { runLoadScenario } = await import("../scripts/loadtest");
  const { closeDb } = await import("../lib/db/client");
  try {
    const r = await runLoadScenario({ clients: CLIENTS, seconds: SECONDS, baseline: { clients: 1, seconds: 5 }, log: (m) => process.stderr.write(`  load: ${m}\n`) });
    const l = r.load;
    const ms = (x: number) => x.toFixed(0);
    const routes = ["page", "report", "status+report", "list", "watch"] as const;
    const sizes = Object.fromEntries(routes.map((k) => [k, l.perRoute[k] ? `${(l.perRoute[k]!.bytes / 1024).toFixed(0)} KB` : "–"]));
    const label: Record<(typeof routes)[number], string> = {
      page: "GET /audits/:id (HTML, cookie)",
      report: "GET /api/audits/:id/report",
      "status+report": "GET /api/audits/:id?include=report",
      list: "GET /api/audits",
      watch: "GET /api/audits/:id of the running audits",
    };
    const ok = l.latency.p95 < P95_TARGET_MS;
    const rows: string[][] = [
      ["load", `${CLIENTS} clients, ${l.seconds.toFixed(0)} s, 2 audits running (${(r.overlap * 100).toFixed(0)}% of the time): throughput`, `${l.rps.toFixed(1)} req/s (${l.answered} requests)`, "", ""],
      ["load", "…latency p50 / p95 / p99", `${ms(l.latency.p50)} / ${ms(l.latency.p95)} / ${ms(l.latency.p99)} ms`, `p95 < ${P95_TARGET_MS} ms`, ok ? "PASS" : "MISS"],
      ["load", "…errors (status ≥ 500, network, timeout)", `${l.errors}`, "0", l.errors === 0 ? "PASS" : "NO"],
      ["load", "…the 2 audits", r.audits.map((a) => a.status).join(", "), "succeeded", r.audits.every((a) => a.status === "succeeded") ? "PASS" : "NO"],
      ...routes
        .filter((k) => l.perRoute[k])
        .map((k) => {
          const base = r.baseline?.perRoute[k];
          return ["load", `…p50 / p95 ${label[k]} (up to ${sizes[k]}); 1 client, worker idle`, `${ms(l.perRoute[k]!.p50)} / ${ms(l.perRoute[k]!.p95)} ms; ${base ? `${ms(base.p50)} / ${ms(base.p95)} ms` : "–"}`, "", ""];
        }),
    ];
    if (r.baseline) rows.push(["load", "1 client, worker idle: throughput, p50 / p95", `${r.baseline.rps.toFixed(1)} req/s, ${ms(r.baseline.latency.p50)} / ${ms(r.baseline.latency.p95)} ms`, "", ""]);
    process.stdout.write(`\n| bench | measure | value | target | ok |\n|---|---|---|---|---|\n${rows.map((x) => `| ${x.join(" | ")} |`).join("\n")}\n`);
    for (const e of l.errorSamples) process.stderr.write(`  load error: ${e}\n`);
    if (l.errors > 0 || !r.audits.every((a) => a.status === "succeeded")) process.exitCode = 1;
  } finally {
    await closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
