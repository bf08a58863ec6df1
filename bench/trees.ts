// Tree-model benchmarks:
//   treeshap   100 trees of depth 6 (full, 64 leaves each), 12 features, 100 background rows:
//              exact TreeSHAP per explained row on every core, against exact KernelSHAP on the
//              same model, rows and background (ratio measured in one run)
//   adult-gbm  the Adult GBM demo audit end to end: `assay audit` wall time (what a user waits
//              for) beside the engine's own timings
// The ensemble is random (splits on N(0, 1) features at N(0, 1) thresholds), written as XGBoost
// JSON so the worker pool loads it like an uploaded model.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createWorkerExecutor } from "../lib/compute/worker-executor";
import type { ModelFiles } from "../lib/compute/protocol";
import type { BackendName } from "../lib/engine/backend";
import { createRng } from "../lib/engine/random";
import { kernelShap, type ShapPlayer } from "../lib/engine/shap/kernel-shap";
import type { Report } from "../lib/report/types";
import type { Record } from "./explain";
import { ROOT, sharedDataset } from "../scripts/shared-datasets";


/** A random full-depth binary:logistic ensemble as XGBoost JSON (version 1.7 layout). */
export function randomXgboostJson(trees: number, depth: number, features: number, seed: number): string {
  const rng = createRng(seed);
  const n = (1 << (depth + 1)) - 1;
  const tree = (id: number) => {
    const left: number[] = [];
    const right: number[] = [];
    const idx: number[] = [];
    const cond: number[] = [];
    for (let k = 0; k < n; k++) {
      const leaf = 2 * k + 1 >= n;
      left.push(leaf ? -1 : 2 * k + 1);
      right.push(leaf ? -1 : 2 * k + 2);
      idx.push(leaf ? 0 : Math.floor(rng.next() * features));
      cond.push(Math.fround(leaf ? rng.normal() * 0.1 : rng.normal()));
    }
    return { id, left_children: left, right_children: right, split_indices: idx, split_conditions: cond, default_left: left.map(() => 1), split_type: left.map(() => 0) };
  };
  return JSON.stringify({
    learner: {
      learner_model_param: { base_score: "5E-1", num_feature: String(features), num_class: "0" },
      objective: { name: "binary:logistic" },
      gradient_booster: { name: "gbtree", model: { trees: Array.from({ length: trees }, (_, t) => tree(t)), tree_info: new Array(trees).fill(0) } },
      feature_names: [],
    },
    version: [1, 7, 4],
  });
}

export async function benchTreeShap(record: Record, backend: BackendName): Promise<void> {
  const M = 12;
  const files: ModelFiles = {
    manifest: { format: "xgboost-json", task: "binary_classification", features: Array.from({ length: M }, (_, j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric" })) },
    files: { "model.json": new TextEncoder().encode(randomXgboostJson(100, 6, M, 5)) },
    label: "bench",
  };
  const pool = await createWorkerExecutor({ files, backend });
  try {
    const r = createRng(3);
    const rows = 400;
    const nb = 100;
    const x = Float32Array.from({ length: rows * M }, () => r.normal());
    const bg = Float32Array.from({ length: nb * M }, () => r.normal());
    const job = { width: M, background: bg, backgroundRows: nb, backgroundWeights: new Float64Array(nb).fill(1 / nb), playerOf: Int32Array.from({ length: M }, (_, j) => j), players: M };
    await pool.treeShap({ ...job, x: x.slice(0, 20 * M), rows: 20 }); // warm-up
    const times: number[] = [];
    let out: Float64Array = new Float64Array(0);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      out = await pool.treeShap({ ...job, x, rows });
      times.push((performance.now() - t0) / rows);
    }
    const treeMs = [...times].sort((a, b) => a - b)[1]!;
    record("treeshap", `100 trees of depth 6, 12 features, 100 background rows: exact TreeSHAP per explained row (${pool.threads} threads, ${rows} rows, median of 3)`, `${treeMs.toFixed(2)} ms`, "≤ 2 ms", treeMs <= 2);
    // exact KernelSHAP on the same model, background and (the first few) rows
    const kRows = 2 * pool.threads;
    const players: ShapPlayer[] = Array.from({ length: M }, (_, j) => ({ name: `x${j}`, blocks: [[j, 1]] }));
    const t0 = performance.now();
    const kernel = await kernelShap({ executor: pool, players, width: M, x: x.slice(0, kRows * M), rows: kRows, background: bg, backgroundWeights: new Array(nb).fill(1 / nb), link: "identity", samples: "exact", sampling: "kernel", seed: 1 });
    const kernelMs = (performance.now() - t0) / kRows;
    record("treeshap", `…exact KernelSHAP on the same model and background (${kernel.coalitions} coalitions × ${nb} background rows): time per row (${kRows} rows)`, `${(kernelMs / 1000).toFixed(2)} s`);
    record("treeshap", "…TreeSHAP's speed-up over exact KernelSHAP (same run)", `${Math.round(kernelMs / treeMs).toLocaleString("en-US")}×`, "≥ 100×", kernelMs / treeMs >= 100);
    // efficiency holds for every row: Σφ + v(∅) = margin (v(∅) from any row: margin − Σφ)
    let spread = 0;
    const base = (i: number) => out[i * (M + 1) + M]! - out.subarray(i * (M + 1), i * (M + 1) + M).reduce((a, b) => a + b, 0);
    for (let i = 1; i < rows; i++) spread = Math.max(spread, Math.abs(base(i) - base(0)));
    record("treeshap", "…efficiency: largest spread of margin − Σφ over rows (must be v(∅) for all)", spread.toExponential(1), "≤ 1e-9", spread <= 1e-9);
  } finally {
    await pool.dispose();
  }
}

/** The Adult GBM demo audit through the CLI: what a user waits for, and where the time goes. */
export function benchAdultGbm(record: Record): void {
  // the spec as committed, with the dataset wherever the shared datasets are on this machine
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-gbm-"));
  const spec = path.join(dir, "v1.audit.yaml");
  fs.writeFileSync(
    spec,
    fs
      .readFileSync(path.join(ROOT, "audits/examples/adult-gbm/v1.audit.yaml"), "utf8")
      .replace("path: ../../../../shared/datasets/adult-test.csv", `path: ${sharedDataset("adult-test.csv")}`)
      .replace("path: models/v1,", `path: ${path.join(ROOT, "audits/examples/adult-gbm/models/v1")},`),
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "assay.js"), "audit", spec, "--json", "--quiet"], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`assay audit failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as Report;
  const ms = (a: string) => report.timings.find((t) => t.analysis === a)?.ms ?? 0;
  record("adult-gbm", "`assay audit` of the Adult GBM demo (16,281 rows; every analysis, TreeSHAP 500 rows, boundary attack 1,000 rows): wall time", `${wall.toFixed(1)} s`);
  record("adult-gbm", "…in the engine: total / TreeSHAP / boundary attack / permutation importance", `${(ms("total") / 1000).toFixed(1)} s / ${ms("shap")} ms / ${ms("robustness")} ms / ${(ms("permutation_importance") / 1000).toFixed(1)} s`);
}
