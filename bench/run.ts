// `npm run bench`: speed and memory of the engine on real data, printed as a table.
// Targets live here, never in unit tests. Cases:
//   csv       parse ../shared/datasets/adult.csv replicated to 1M rows (MB/s, retained memory)
//   fairness  stratified bootstrap (1000 resamples) on 1M rows, sex + race + intersection
//   scoring   a TF.js MLP scoring 1M Adult rows on the active backend
//   shap, throughput, importance, adult-shap: see bench/explain.ts
//   robustness: PGD on 10,000 Adult rows (bench/explain.ts)
//   treeshap, adult-gbm: exact TreeSHAP against exact KernelSHAP; the Adult GBM demo end to end (bench/trees.ts)
//   page: server time of the audit page of a full Adult audit (bench/page.ts, its own process)
//   load: 20 clients browsing the app while 2 audits run, latency percentiles (bench/load.ts, its own process)
//   team: an Adult audit on the embedded worker and on BullMQ with 1×2 and 2×1 worker processes × threads,
//         and the scheduling cost per chunk (bench/team.ts, its own process; needs Redis)
//   e2e (e2e-shap e2e-importance e2e-cps e2e-adult): `npx assay audit` runs, as a user waits for them (bench/e2e.ts, its own process)
// Usage: npm run bench [-- csv fairness scoring shap importance adult-shap robustness treeshap adult-gbm page load team e2e] [--rows N]

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import * as tf from "@tensorflow/tfjs";
import { configuredBackend } from "../lib/compute/configured-backend";
import { runAudit } from "../lib/engine/audit";
import { createEncoder } from "../lib/engine/model/encode";
import { loadModel } from "../lib/engine/model/load";
import type { TModelManifest } from "../lib/engine/model/manifest";
import { scoreAllRows } from "../lib/engine/model/predict";
import { loadDatasetFile } from "../lib/io/dataset-file";
import { ZAuditSpec } from "../lib/spec/schema";
import { ENGINE_VERSION } from "../lib/version";
import { sharedDataset } from "../tests/helpers/shared";
import { serialize } from "../tests/helpers/tfjs-models";
import { benchAdultShap, benchImportance, benchRobustness, benchShap } from "./explain";
import { benchAdultGbm, benchTreeShap } from "./trees";
import { createTable, printTable } from "./table";
import { replicatedAdult } from "./data";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const { rows: results, record } = createTable();

function retainedMb(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
}

async function benchCsv(rows: number) {
  const file = replicatedAdult(rows);
  const mb = fs.statSync(file).size / 1024 / 1024;
  const base = retainedMb();
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const ds = await loadDatasetFile(file, { displayName: "adult-1M.csv" });
  const secs = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const retained = retainedMb() - base;
  record("csv", `parse + SHA-256, ${ds.table.rows.toLocaleString("en-US")} rows, ${mb.toFixed(0)} MB`, `${secs.toFixed(2)} s`);
  record("csv", "throughput", `${(mb / secs).toFixed(1)} MB/s`);
  record("csv", "table memory retained", `${retained.toFixed(0)} MB`, "< 400 MB", retained < 400);
  record("csv", "peak RSS during load", `${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  return ds;
}

async function benchFairness(ds: Awaited<ReturnType<typeof loadDatasetFile>>, weighted: boolean) {
  const spec = ZAuditSpec.parse({
    name: "bench",
    dataset: { path: "adult.csv", label: "income", positive: ">50K", ...(weighted ? { weight: "fnlwgt" } : {}) },
    model: { score: "education_num" },
    threshold: 13,
    sensitive: ["sex", "race"],
    intersections: true,
    analyses: { fairness: { bootstrap: 1000, seed: 1 } },
  });
  const t0 = performance.now();
  const report = await runAudit({
    spec,
    table: ds.table,
    dataset: { path: "adult.csv", sha256: ds.sha256, bytes: ds.bytes },
    model: null,
    backend: null,
    engineVersion: ENGINE_VERSION,
    loadMs: 0,
  });
  const total = (performance.now() - t0) / 1000;
  const fairness = report.timings.find((t) => t.analysis === "fairness")!.ms / 1000;
  const groups = report.sections.fairness!.attributes.reduce((s, a) => s + a.groups.length, 0);
  const label = `${weighted ? "weighted, " : ""}1000 resamples, sex + race + sex & race (${groups} groups), ${ds.table.rows.toLocaleString("en-US")} rows`;
  record("fairness", label, `${fairness.toFixed(2)} s`, "< 2 s", fairness < 2);
  record("fairness", `${weighted ? "weighted " : ""}runAudit total (decisions, groups, fairness)`, `${total.toFixed(2)} s`);
}

async function benchScoring(ds: Awaited<ReturnType<typeof loadDatasetFile>>) {
  const backend = await configuredBackend();
  const manifest: TModelManifest = {
    format: "tfjs-layers",
    task: "binary_classification",
    output: { type: "probability" },
    features: [
      { name: "age", column: "age", type: "numeric", mean: 38.6, std: 13.6 },
      { name: "education_num", column: "education_num", type: "numeric", mean: 10.1, std: 2.6 },
      { name: "hours_per_week", column: "hours_per_week", type: "numeric", mean: 40.4, std: 12.3 },
      { name: "capital_gain", column: "capital_gain", type: "numeric", mean: 1078, std: 7385 },
      { name: "sex", column: "sex", type: "categorical", categories: ["Female", "Male"] },
      { name: "race", column: "race", type: "categorical", categories: ["Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "Other", "White"] },
      { name: "marital_status", column: "marital_status", type: "categorical", categories: ["Divorced", "Married-AF-spouse", "Married-civ-spouse", "Married-spouse-absent", "Never-married", "Separated", "Widowed"] },
    ],
  };
  const net = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [18], units: 32, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const s = await serialize(net);
  net.dispose();
  const files: Record<string, Uint8Array> = { "model.json": new TextEncoder().encode(JSON.stringify(s.modelJson)), "weights.bin": s.weights };
  const m = await loadModel({ manifest, label: "bench", readFile: async (name) => files[name]! });
  const enc = createEncoder(ds.table, manifest);
  const t0 = performance.now();
  await scoreAllRows(m, enc.encodeRange, ds.table.rows);
  const secs = (performance.now() - t0) / 1000;
  record("scoring", `18-input, 32-hidden MLP, encode + predict ${ds.table.rows.toLocaleString("en-US")} rows (${backend.name})`, `${secs.toFixed(2)} s`);
  record("scoring", "throughput", `${Math.round(ds.table.rows / secs).toLocaleString("en-US")} rows/s`);
  m.dispose();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rowsArg = argv.indexOf("--rows");
  const rows = rowsArg >= 0 ? Number(argv[rowsArg + 1]) : 1_000_000;
  const cases = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--rows");
  const want = (c: string) => cases.length === 0 || cases.includes(c);
  process.stderr.write(`assay ${ENGINE_VERSION} bench on ${os.cpus().length} cores, node ${process.version}\n`);
  const backend = await configuredBackend();
  process.stderr.write(`backend: ${backend.name}\n`);
  if (want("csv") || want("fairness") || want("scoring")) {
    const ds = await benchCsv(rows);
    if (want("fairness")) {
      await benchFairness(ds, false);
      await benchFairness(ds, true);
    }
    if (want("scoring")) await benchScoring(ds);
  }
  if (want("shap") || want("throughput")) await benchShap(record, backend.name);
  if (want("importance")) await benchImportance(record, backend.name);
  if (want("adult-shap") || want("robustness")) {
    const adult = await loadDatasetFile(sharedDataset("adult.csv"));
    if (want("adult-shap")) await benchAdultShap(record, backend.name, adult.table);
    if (want("robustness")) await benchRobustness(record, backend.name, adult.table);
  }
  if (want("treeshap")) await benchTreeShap(record, backend.name);
  if (want("adult-gbm")) benchAdultGbm(record);
  printTable(results);
  if (want("page")) {
    const r = spawnSync(process.execPath, [path.join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), path.join(__dirname, "page.ts")], { stdio: "inherit" });
    if (r.status !== 0) process.exitCode = 1;
  }
  if (want("team")) {
    const r = spawnSync(process.execPath, [path.join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), path.join(__dirname, "team.ts")], { stdio: "inherit" });
    if (r.status !== 0) process.exitCode = 1;
  }
  const e2e = ["e2e", "e2e-shap", "e2e-importance", "e2e-cps", "e2e-adult"].filter((c) => cases.length === 0 || cases.includes(c));
  if (e2e.length) {
    // its own process: it runs the CLI, which must not share this process's cores with a warm pool
    const r = spawnSync(process.execPath, [path.join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), path.join(__dirname, "e2e.ts"), ...e2e], { stdio: "inherit" });
    if (r.status !== 0) process.exitCode = 1;
  }
  if (want("load")) {
    // a p95 over its target is a MISS in the table, not a failure; a 5xx or a failed audit is
    const r = spawnSync(process.execPath, [path.join(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs"), path.join(__dirname, "load.ts")], { stdio: "inherit" });
    if (r.status !== 0) process.exitCode = 1;
  }
  if (results.some((r) => r.ok === "NO")) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
