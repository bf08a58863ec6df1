// The explainability analyses of an audit (METRICS.md §3–4) as report sections: permutation
// importance, and SHAP values over raw-column features on the audit's table and model: exact
// TreeSHAP (§4.1) for tree ensembles, KernelSHAP (§4) otherwise, against the same background.

import { invalidInput } from "../errors";
import type { PermutationImportanceSection, ShapSection } from "../report/types";
import type { TPermutationImportanceOptions, TShapOptions } from "../spec/schema";
import type { Table } from "./data/table";
import type { ModelExecutor } from "./executor";
import { shapMethodFor } from "./model/capabilities";
import type { AuditModel } from "./model/model";
import { describeEnsemble, ensembleMargins, marginsToProbabilities } from "./trees/ensemble";
import { importanceRows, isLoss, runImportanceRepeats, summarizeImportance, type ImportanceJob } from "./importance/permutation";
import { createEncoder, type FeatureEncoder } from "./model/encode";
import { manifestColumns, type TModelManifest } from "./model/manifest";
import { createRng } from "./random";
import { kmeansBackground, randomBackground, sampleRows, type Background } from "./shap/background";
import { kernelShap, type ShapPlayer } from "./shap/kernel-shap";

/** Default rows per repeat for permutation importance on large tables. */
export const DEFAULT_IMPORTANCE_ROWS = 100_000;

export interface ExplainContext {
  table: Table;
  model: AuditModel;
  manifest: TModelManifest;
  encoder: FeatureEncoder;
  executor: ModelExecutor;
  y: Uint8Array;
  w: Float64Array | null;
  threshold: number;
  onProgress: (fraction: number, done?: number, total?: number) => void;
}

/** Raw-column players with their blocks of encoded inputs, in manifest order. */
export function rawFeatures(manifest: TModelManifest, encoder: FeatureEncoder): ShapPlayer[] {
  return manifestColumns(manifest).map((name) => ({ name, blocks: encoder.columnBlocks.get(name)! }));
}

export async function permutationImportanceSection(ctx: ExplainContext, o: TPermutationImportanceOptions): Promise<PermutationImportanceSection> {
  const n = ctx.table.rows;
  let maxSamples: number | undefined;
  if (o.max_samples !== undefined) maxSamples = o.max_samples <= 1 ? Math.max(1, Math.round(o.max_samples * n)) : Math.floor(o.max_samples);
  else if (n > DEFAULT_IMPORTANCE_ROWS) maxSamples = DEFAULT_IMPORTANCE_ROWS;
  const features = rawFeatures(ctx.manifest, ctx.encoder);
  const job: ImportanceJob = { n, width: ctx.encoder.width, features, y: ctx.y, w: ctx.w, threshold: ctx.threshold, scoring: o.scoring, repeats: o.repeats, seed: o.seed, maxSamples };
  const onProgress = (done: number, total: number) => ctx.onProgress(done / total, done, total);
  const res = ctx.executor.permutationImportance
    ? await ctx.executor.permutationImportance(job, onProgress)
    : summarizeImportance(
        await runImportanceRepeats(ctx.executor, job, (rows) => (rows ? ctx.encoder.encodeRows(rows) : ctx.encoder.encodeRange(0, n)), 0, job.repeats, onProgress),
        importanceRows(n, maxSamples),
      );
  return {
    scoring: o.scoring,
    direction: isLoss(o.scoring) ? `rise in ${o.scoring} when the feature is permuted` : `drop in ${o.scoring} when the feature is permuted`,
    repeats: o.repeats,
    seed: o.seed,
    rows: res.rows,
    subsampled: res.rows < n,
    baselines: res.baselines,
    features: features.map((f, j) => ({ feature: f.name, mean: res.mean[j]!, std: res.std[j]!, values: res.values[j]! })),
  };
}

export async function shapSection(ctx: ExplainContext, o: TShapOptions, backgroundTable: Table | null): Promise<ShapSection> {
  const n = ctx.table.rows;
  const rng = createRng(o.seed);
  const players = rawFeatures(ctx.manifest, ctx.encoder);
  const d = ctx.encoder.width;

  let explained: number[];
  if (Array.isArray(o.rows)) {
    const bad = o.rows.find((r) => r >= n);
    if (bad !== undefined) throw invalidInput(`row ${bad} does not exist: the dataset has rows 0 to ${n - 1}`, { field: "analyses.shap.rows" });
    explained = [...o.rows];
  } else explained = sampleRows(n, o.rows, rng.fork()).sort((a, b) => a - b);
  const x = ctx.encoder.encodeRows(explained);

  let background: Background;
  let bgX: Float32Array;
  if ("path" in o.background) {
    if (!backgroundTable) throw new Error("shapSection: the spec names a background file but none was loaded");
    const enc = createEncoder(backgroundTable, ctx.manifest);
    bgX = enc.encodeRange(0, backgroundTable.rows);
    background = { rows: Array.from({ length: backgroundTable.rows }, (_, i) => i), weights: new Array(backgroundTable.rows).fill(1 / backgroundTable.rows), method: "file" };
  } else if (o.background.method === "kmeans") {
    const sample = sampleRows(n, 20_000, rng.fork());
    const xs = ctx.encoder.encodeRows(sample);
    const km = kmeansBackground(xs, sample.length, d, o.background.k, rng.fork(), sample.length);
    background = { rows: km.rows.map((i) => sample[i]!), weights: km.weights, method: "kmeans" };
    bgX = ctx.encoder.encodeRows(background.rows);
  } else {
    background = randomBackground(n, o.background.size, rng.fork());
    bgX = ctx.encoder.encodeRows(background.rows);
  }
  const onRows = (done: number) => ctx.onProgress(done / explained.length, done, explained.length);
  const method = shapMethodFor(o.method, ctx.model);
  const t0 = performance.now();

  let result: {
    rows: Array<{ phi: ArrayLike<number>; se: ArrayLike<number>; prediction: number; output: number; additivityError: number }>;
    baseValue: number;
    evaluations: number;
    evaluationMs: number;
  };
  let kernel: Pick<ShapSection, "link" | "mode" | "sampling" | "coalitions" | "budget" | "completeSizes" | "units" | "target"> & { trees?: ShapSection["trees"] };
  if (method === "tree") {
    const e = ctx.model.trees!;
    const M = players.length;
    const playerOf = new Int32Array(d);
    players.forEach((p, j) => {
      for (const [off, w] of p.blocks) for (let t = off; t < off + w; t++) playerOf[t] = j;
    });
    const weights = Float64Array.from(background.weights);
    const out = await ctx.executor.treeShap({ width: d, x, rows: explained.length, background: bgX, backgroundRows: weights.length, backgroundWeights: weights, playerOf, players: M }, onRows);
    const bgMargins = ensembleMargins(e, bgX, weights.length, d);
    let baseValue = 0;
    for (let b = 0; b < weights.length; b++) baseValue += weights[b]! * bgMargins[b]!;
    result = {
      baseValue,
      evaluations: explained.length * weights.length * e.trees.length,
      evaluationMs: performance.now() - t0,
      rows: explained.map((_, r) => {
        const phi = out.subarray(r * (M + 1), r * (M + 1) + M);
        const margin = out[r * (M + 1) + M]!;
        let sum = baseValue;
        for (let j = 0; j < M; j++) sum += phi[j]!;
        return { phi, se: new Float64Array(M), prediction: marginsToProbabilities(e, Float64Array.of(margin))[0]!, output: margin, additivityError: Math.abs(sum - margin) };
      }),
    };
    kernel = { link: e.units === "log-odds" ? "logit" : "identity", units: e.units, mode: "exact", sampling: "kernel", coalitions: 0, budget: 0, completeSizes: [], trees: { ...describeEnsemble(e), source: e.source } };
  } else {
    const link = o.link ?? "identity";
    const res = await kernelShap({
      executor: ctx.executor,
      players,
      width: d,
      x,
      rows: explained.length,
      background: bgX,
      backgroundWeights: background.weights,
      link,
      samples: o.samples ?? "auto",
      sampling: o.sampling ?? "kernel",
      seed: o.seed,
      onRows,
    });
    result = res;
    kernel = {
      link,
      units: link === "logit" ? "log-odds" : "probability",
      mode: res.mode,
      sampling: o.sampling ?? "kernel",
      coalitions: res.coalitions,
      budget: res.budget,
      completeSizes: res.completeSizes,
      ...(res.target ? { target: res.target } : {}),
    };
  }

  const columns = players.map((p) => ctx.table.columns.find((c) => c.name === p.name)!);
  const rows = explained.map((row, e) => {
    const r = result.rows[e]!;
    return {
      row,
      line: ctx.table.rowLines[row] ?? 0,
      prediction: r.prediction,
      output: r.output,
      phi: Array.from(r.phi),
      se: Array.from(r.se),
      additivityError: r.additivityError,
      values: columns.map((c) => {
        const code = c.codes[row]!;
        if (code < 0) return null;
        return c.numbers ? c.numbers[row]! : c.categories[code]!;
      }),
    };
  });
  const global = players.map((p, j) => {
    const abs = rows.map((r) => Math.abs(r.phi[j]!));
    const mean = abs.reduce((a, b) => a + b, 0) / abs.length;
    const sd = abs.length > 1 ? Math.sqrt(abs.reduce((a, b) => a + (b - mean) ** 2, 0) / (abs.length - 1)) : 0;
    return { feature: p.name, meanAbs: mean, se: sd / Math.sqrt(abs.length) };
  });
  return {
    method,
    ...kernel,
    seed: o.seed,
    background: { method: background.method, rows: background.rows.length, ...("path" in o.background ? { path: o.background.path } : {}) },
    explained: { method: Array.isArray(o.rows) ? "rows" : "sample", rows: explained.length },
    features: players.map((p) => p.name),
    baseValue: result.baseValue,
    global,
    rows,
    maxAdditivityError: rows.reduce((m, r) => Math.max(m, r.additivityError), 0),
    evaluations: result.evaluations,
    evaluationsPerSecond: result.evaluationMs > 0 ? Math.round(result.evaluations / (result.evaluationMs / 1000)) : 0,
    threads: ctx.executor.threads,
  };
}
