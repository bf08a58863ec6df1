// The GPU benchmark: webgpu against wasm on the same machine, for a small and a wide MLP.
// Built into a self-contained bundle by scripts/gpu/pack.sh and run by scripts/gpu/run.sh on a
// machine with a GPU (no Node.js install, no network); here it runs on lavapipe for a check.
//
//   node bench.js --backend wasm|webgpu [--threads N] [--quick | --smoke] --out FILE.json
//   (--quick: fewer rows; --smoke: the small MLP only, a few rows: the pack's test)
//   node bench.js --table A.json B.json …      (the table, one column per run)
//
// Measures: batched scoring (rows/s), KernelSHAP (ms per explained row and model evaluations/s,
// 2072 sampled coalitions, 50 background rows), PGD L∞ (20 steps, 4 ε + bisection; rows/s).
// wasm runs on a worker-thread pool of --threads threads (default: every core); webgpu on this
// thread (one GPU context per process, as audits run it).

import fs from "node:fs";
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { createWorkerExecutor } from "../../lib/compute/worker-executor";
import { initBackend, type BackendName } from "../../lib/engine/backend";
import { createLocalExecutor, type ModelExecutor } from "../../lib/engine/executor";
import { loadModel } from "../../lib/engine/model/load";
import type { TModelManifest } from "../../lib/engine/model/manifest";
import { createRng } from "../../lib/engine/random";
import type { AttackSpace } from "../../lib/engine/robustness/space";
import { kernelShap } from "../../lib/engine/shap/kernel-shap";
import { serialize } from "../../tests/helpers/tfjs-models";

interface Case {
  name: string;
  inputs: number;
  hidden: number[];
}

const CASES: Case[] = [
  { name: "MLP 12-32-1", inputs: 12, hidden: [32] },
  { name: "MLP 64-256-512-256-1", inputs: 64, hidden: [256, 512, 256] },
];

interface Row {
  model: string;
  measure: string;
  value: number;
  unit: string;
}

interface Run {
  backend: string;
  adapter: string;
  threads: number;
  cpus: number;
  rows: Row[];
}

function net(c: Case): tf.Sequential {
  const layers = c.hidden.map((h, k) =>
    tf.layers.dense({ ...(k === 0 ? { inputShape: [c.inputs] } : {}), units: h, activation: "relu", kernelInitializer: tf.initializers.glorotNormal({ seed: 10 + k }), biasInitializer: tf.initializers.randomNormal({ seed: 20 + k, stddev: 0.1 }) }),
  );
  layers.push(tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotNormal({ seed: 99 }) }));
  return tf.sequential({ layers });
}

function manifest(width: number): TModelManifest {
  return { format: "tfjs-layers", task: "binary_classification", output: { type: "probability" }, features: Array.from({ length: width }, (_, j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric" as const })) };
}

function space(d: number): AttackSpace {
  return {
    width: d,
    numeric: new Uint8Array(d).fill(1),
    scale: new Float32Array(d).fill(1),
    lo: new Float32Array(d).fill(-6),
    hi: new Float32Array(d).fill(6),
    integer: new Uint8Array(d),
    mean: new Float32Array(d),
    s: new Float32Array(d).fill(1),
    blocks: [],
  };
}

async function measure(c: Case, backend: BackendName, threads: number, size: "full" | "quick" | "smoke"): Promise<Row[]> {
  const quick = size !== "full";
  const smoke = size === "smoke";
  const rows: Row[] = [];
  const model = net(c);
  const s = await serialize(model);
  model.dispose();
  const files = { manifest: manifest(c.inputs), files: { "model.json": new TextEncoder().encode(JSON.stringify(s.modelJson)), "weights.bin": s.weights }, label: c.name };
  const loaded = await loadModel({ manifest: files.manifest, label: c.name, readFile: async (n) => files.files[n as "model.json"]! });
  const executor: ModelExecutor = backend === "webgpu" ? createLocalExecutor(loaded, backend) : await createWorkerExecutor({ files, backend, threads });
  const d = c.inputs;
  const rng = createRng(5);
  const x = Float32Array.from({ length: (smoke ? 4096 : quick ? 1 << 14 : 1 << 20) * d }, () => rng.normal());
  try {
    // scoring: the best of 3 passes over the rows (the first warms up)
    const n = x.length / d;
    await executor.predict(x.subarray(0, 4096 * d), 4096);
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await executor.predict(x, n);
      best = Math.min(best, performance.now() - t0);
    }
    rows.push({ model: c.name, measure: `scoring ${n.toLocaleString("en-US")} rows`, value: n / (best / 1000), unit: "rows/s" });

    // KernelSHAP: 2072 sampled coalitions, 50 background rows
    const explained = smoke ? 1 : quick ? 4 : c.inputs > 32 ? 20 : 100;
    const players = Array.from({ length: d }, (_, j) => ({ name: `x${j}`, blocks: [[j, 1] as const] }));
    const common = { executor, players, width: d, background: x.slice(0, 50 * d), backgroundWeights: new Array(50).fill(1 / 50), link: "identity" as const, sampling: "kernel" as const, seed: 7, samples: 2072, forceSampled: true };
    await kernelShap({ ...common, rows: 2, x: x.slice(0, 2 * d) });
    const t0 = performance.now();
    const res = await kernelShap({ ...common, rows: explained, x: x.slice(50 * d, (50 + explained) * d) });
    const ms = performance.now() - t0;
    rows.push({ model: c.name, measure: `KernelSHAP per explained row (${explained} rows, 2072 coalitions × 50 background)`, value: ms / explained, unit: "ms" });
    rows.push({ model: c.name, measure: "KernelSHAP model evaluations", value: res.evaluations / (ms / 1000), unit: "rows/s" });

    // PGD L∞, 20 steps, 4 ε + bisection
    const attackRows = smoke ? 64 : quick ? 512 : 10_000;
    const ax = x.slice(0, attackRows * d);
    const p = await executor.predict(ax, attackRows);
    const job = {
      space: space(d),
      config: { attack: "pgd" as const, norm: "linf" as const, epsilons: [0.05, 0.1, 0.25, 0.5], steps: 20, restarts: 1, seed: 1, threshold: 0.5, tolerance: 1e-3, queries: 200 },
      x: ax,
      rows: attackRows,
      rowIds: Int32Array.from({ length: attackRows }, (_, i) => i),
      decision: Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0)),
    };
    const warm = Math.min(256, attackRows);
    await executor.attack({ ...job, x: ax.slice(0, warm * d), rows: warm, rowIds: job.rowIds.slice(0, warm), decision: job.decision.slice(0, warm) });
    const t1 = performance.now();
    const att = await executor.attack(job);
    const secs = (performance.now() - t1) / 1000;
    rows.push({ model: c.name, measure: `PGD L∞ (${attackRows.toLocaleString("en-US")} rows, 20 steps, 4 ε + bisection)`, value: attackRows / secs, unit: "rows/s" });
    rows.push({ model: c.name, measure: "PGD gradient evaluations", value: att.gradients / secs, unit: "rows/s" });
  } finally {
    await executor.dispose();
    loaded.dispose();
  }
  return rows;
}

function fmt(v: number, unit: string): string {
  if (unit === "ms") return `${v.toFixed(2)} ms`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M ${unit}`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k ${unit}`;
  return `${v.toFixed(0)} ${unit}`;
}

function table(files: string[]): string {
  const runs = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Run);
  const head = ["model", "measure", ...runs.map((r) => `${r.backend}${r.backend === "wasm" ? ` (${r.threads} threads)` : ` (${r.adapter})`}`)];
  if (runs.length === 2) head.push(`${runs[1]!.backend} / ${runs[0]!.backend}`);
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  runs[0]!.rows.forEach((row, i) => {
    const cells = runs.map((r) => fmt(r.rows[i]!.value, r.rows[i]!.unit));
    if (runs.length === 2) {
      const [a, b] = [runs[0]!.rows[i]!.value, runs[1]!.rows[i]!.value];
      cells.push(`${(row.unit === "ms" ? a / b : b / a).toFixed(2)}×`);
    }
    lines.push(`| ${row.model} | ${row.measure} | ${cells.join(" | ")} |`);
  });
  return lines.join("\n");
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv[0] === "--table") {
    process.stdout.write(`${table(argv.slice(1))}\n`);
    return;
  }
  const backend = (arg("--backend") ?? "wasm") as BackendName;
  const threads = Number(arg("--threads") ?? os.availableParallelism());
  const size = argv.includes("--smoke") ? "smoke" : argv.includes("--quick") ? "quick" : "full";
  const info = await initBackend(backend, { allowSoftwareGpu: process.env.ASSAY_ALLOW_SOFTWARE_GPU === "1" });
  const run: Run = { backend: info.name, adapter: info.adapter ? `${info.adapter.description}${info.adapter.software ? ", software" : ""}` : "", threads: info.name === "webgpu" ? 1 : threads, cpus: os.availableParallelism(), rows: [] };
  for (const c of size === "smoke" ? CASES.slice(0, 1) : CASES) {
    const rows = await measure(c, info.name, threads, size);
    for (const r of rows) process.stderr.write(`${info.name}: ${r.model}: ${r.measure} = ${fmt(r.value, r.unit)}\n`);
    run.rows.push(...rows);
  }
  fs.writeFileSync(arg("--out") ?? `gpu-bench-${info.name}.json`, JSON.stringify(run, null, 1));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
