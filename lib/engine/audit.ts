// runAudit: a validated spec plus its loaded inputs in, a typed Report out. Checks the inputs
// against the spec (label, sensitive attributes, weights, scores), scores the rows, then runs
// the analyses the spec asks for, reporting progress by phase.

import { invalidInput } from "../errors";
import { definitionsFor, REPORT_SCHEMA_VERSION, type FileHash, type PerformanceSection, type Report, type ReportWarning } from "../report/types";
import { flattenMetrics } from "../report/flatten";
import { evaluatePolicy } from "../report/policy";
import { intersectionSets, isScoreModel, type TAuditSpec } from "../spec/schema";
import type { BackendInfo } from "./backend";
import { getColumnOrThrow, lineOfRow, profileColumns, type Column, type Table } from "./data/table";
import { createEncoder, nonNumericError } from "./model/encode";
import { assertAnalysesFit } from "./model/capabilities";
import type { AuditModel } from "./model/model";
import { scoreAllRows } from "./model/predict";
import { describeEnsemble } from "./trees/ensemble";
import { bootstrapCells, percentileInterval } from "./metrics/bootstrap";
import { attributeFairness } from "./metrics/fairness";
import { scoreDistribution } from "./metrics/distribution";
import { groupByColumn, intersect, type Grouping } from "./metrics/groups";
import {
  averagePrecision,
  brierScore,
  calibrationBins,
  confusionOf,
  logLoss,
  rocAuc,
  rocAucDeLongInterval,
  rocCurve,
  scoreLevels,
  thresholdMetrics,
  THRESHOLD_METRIC_IDS,
} from "./metrics/performance";
import { quantileSorted } from "./metrics/bootstrap";
import { createRng } from "./random";
import { createLocalExecutor, type ModelExecutor } from "./executor";
import { permutationImportanceSection, shapSection } from "./explain";
import { robustnessSection } from "./robustness/analysis";
import type { FeatureEncoder } from "./model/encode";

export type AuditPhase = "loading" | "scoring" | "performance" | "fairness" | "importance" | "shap" | "robustness" | "done";

export interface AuditProgress {
  phase: AuditPhase;
  /** Fraction of the phase done, 0..1. */
  fraction: number;
  /** Units done and in all (e.g. explained rows), when the phase counts them. */
  done?: number;
  total?: number;
}

export interface AuditInputs {
  spec: TAuditSpec;
  table: Table;
  dataset: { path: string; sha256: string; bytes: number };
  model: { loaded: AuditModel; path: string; files: FileHash[]; runtime?: string } | null;
  backend: BackendInfo | null;
  /** Runs the explainability analyses' model work; default: this thread. */
  executor?: ModelExecutor;
  /** The background rows file of a SHAP spec with `background: { path }`. */
  shapBackground?: Table | null;
  engineVersion: string;
  /** Milliseconds spent reading and parsing the dataset (reported as the "load" timing). */
  loadMs: number;
  id?: string;
  nodeVersion?: string;
}

/** Runs the audit. Throws AppError(INVALID_INPUT) when the data does not fit the spec. */
export async function runAudit(inputs: AuditInputs, onProgress: (p: AuditProgress) => void = () => {}): Promise<Report> {
  const { spec, table } = inputs;
  const warnings: ReportWarning[] = [];
  const timings: Array<{ analysis: string; ms: number }> = [{ analysis: "load", ms: Math.round(inputs.loadMs) }];
  const t0 = now();

  // inputs against the spec
  const label = labelVector(table, spec);
  const weights = spec.dataset.weight ? weightVector(table, spec.dataset.weight) : null;
  const groupings = buildGroupings(table, spec);
  if (inputs.model) assertAnalysesFit(spec, inputs.model.loaded);

  // scores
  onProgress({ phase: "scoring", fraction: 0 });
  let scores: Float64Array;
  let probability: boolean;
  let outputType: string;
  let encoder: FeatureEncoder | null = null;
  if (isScoreModel(spec.model)) {
    scores = scoreVector(table, spec.model.score);
    probability = spec.model.probability;
    outputType = probability ? "probability score column" : "score column";
    if (probability) {
      const bad = scores.findIndex((s) => s < 0 || s > 1);
      if (bad !== -1) {
        throw invalidInput(`score column is declared a probability but holds ${scores[bad]} (outside [0, 1])`, {
          file: table.fileName,
          line: lineOfRow(table, bad),
          column: spec.model.score,
        });
      }
    }
  } else {
    const m = inputs.model;
    if (!m) throw new Error("runAudit: the spec names a model directory but no model was loaded");
    encoder = createEncoder(table, m.loaded.manifest);
    for (const w of encoder.warnings) warnings.push({ code: w.code, column: w.column, message: w.message });
    scores = await scoreAllRows(m.loaded, encoder.encodeRange, table.rows, (f) => onProgress({ phase: "scoring", fraction: f }));
    probability = true;
    outputType = m.loaded.outputDescription;
  }
  const nan = scores.findIndex((s) => s !== s);
  if (nan !== -1) throw invalidInput("the model returned NaN for this row", { file: table.fileName, line: lineOfRow(table, nan) });
  timings.push({ analysis: "scoring", ms: Math.round(now() - t0) });

  // decision
  const decision = new Uint8Array(table.rows);
  let threshold: number;
  let rule: string;
  if (spec.threshold !== undefined || probability) {
    threshold = spec.threshold ?? 0.5;
    rule = `positive when score ≥ ${threshold}`;
    for (let i = 0; i < scores.length; i++) decision[i] = scores[i]! >= threshold ? 1 : 0;
  } else {
    threshold = quantileSorted(Float64Array.from(scores).sort(), 0.5);
    rule = `positive when score > ${threshold} (the median of all scores: LL144 scoring rate, no threshold given)`;
    for (let i = 0; i < scores.length; i++) decision[i] = scores[i]! > threshold ? 1 : 0;
  }

  const sections: Report["sections"] = {};
  if (spec.analyses.performance) {
    const t = now();
    onProgress({ phase: "performance", fraction: 0 });
    sections.performance = performanceSection(scores, label.y, decision, weights?.w ?? null, probability, spec.analyses.performance);
    timings.push({ analysis: "performance", ms: Math.round(now() - t) });
    onProgress({ phase: "performance", fraction: 1 });
  }

  if (spec.analyses.fairness) {
    const t = now();
    const f = spec.analyses.fairness;
    const rng = createRng(f.seed);
    const attributes = groupings.map((g, k) => {
      onProgress({ phase: "fairness", fraction: k / groupings.length });
      return attributeFairness(
        g.grouping,
        {
          minGroupSize: f.min_group_size,
          minGroupShare: f.min_group_share,
          positiveDecision: spec.positive_decision,
          tau: f.tau,
          reference: f.reference[g.grouping.attribute],
          bootstrap: f.bootstrap,
          confidence: f.confidence,
          rng: rng.fork(),
          rows: { y: label.y, decision, w: weights?.w ?? null },
          intersection: g.intersection,
        },
        warnings,
      );
    });
    sections.fairness = {
      tau: f.tau,
      bootstrap: {
        resamples: f.bootstrap,
        seed: f.seed,
        confidence: f.confidence,
        method: weights
          ? "percentile bootstrap, stratified by group: multinomial cell counts, cell weight totals from resampled rows (normal approximation beyond 1,000 draws)"
          : "percentile bootstrap, stratified by group, multinomial over each group's confusion cells",
      },
      minGroupSize: f.min_group_size,
      minGroupShare: f.min_group_share,
      attributes,
      distribution: scoreDistribution(scores, label.y, weights?.w ?? null, threshold, groupings.map((g) => g.grouping)),
    };
    timings.push({ analysis: "fairness", ms: Math.round(now() - t) });
    onProgress({ phase: "fairness", fraction: 1 });
  }

  const explainers = [
    ["importance", "permutation_importance"],
    ["shap", "shap"],
  ] as const;
  const needsModel = explainers.some(([, key]) => spec.analyses[key]) || spec.analyses.robustness;
  const executor = needsModel && inputs.model ? (inputs.executor ?? createLocalExecutor(inputs.model.loaded, inputs.backend?.name ?? "cpu")) : null;
  if (needsModel && (!inputs.model || !encoder || !executor)) throw new Error("runAudit: explainability and robustness analyses need a loaded model");
  if (executor?.ready) {
    // a thread pool that started while the data loaded and the analyses above ran: the time the
    // model work still waits for it is its own line, not part of the first model analysis
    const t = now();
    await executor.ready();
    timings.push({ analysis: "threads", ms: Math.round(now() - t) });
  }
  if (explainers.some(([, key]) => spec.analyses[key])) {
    const m = inputs.model!;
    for (const [phase, key] of explainers) {
      const options = spec.analyses[key];
      if (!options) continue;
      const t = now();
      const ctx = {
        table,
        model: m.loaded,
        manifest: m.loaded.manifest,
        encoder: encoder!,
        executor: executor!,
        y: label.y,
        w: weights?.w ?? null,
        threshold,
        onProgress: (fraction: number, done?: number, total?: number) => onProgress({ phase, fraction, done, total }),
      };
      onProgress({ phase, fraction: 0 });
      if (key === "permutation_importance") sections.permutationImportance = await permutationImportanceSection(ctx, spec.analyses.permutation_importance!);
      else sections.shap = await shapSection(ctx, spec.analyses.shap!, inputs.shapBackground ?? null);
      timings.push({ analysis: key, ms: Math.round(now() - t) });
      onProgress({ phase, fraction: 1 });
    }
  }

  if (spec.analyses.robustness) {
    const t = now();
    onProgress({ phase: "robustness", fraction: 0 });
    sections.robustness = await robustnessSection(
      {
        table,
        manifest: inputs.model!.loaded.manifest,
        gradients: inputs.model!.loaded.gradients,
        encoder: encoder!,
        executor: executor!,
        y: label.y,
        decision,
        scores,
        threshold,
        sensitive: spec.sensitive,
        groupings: groupings.map((g) => g.grouping),
        minGroupSize: spec.analyses.fairness?.min_group_size ?? 0,
        excludedGroups: excludedByFairness(sections.fairness),
        onProgress: (fraction, done, total) => onProgress({ phase: "robustness", fraction, done, total }),
      },
      spec.analyses.robustness,
      warnings,
    );
    timings.push({ analysis: "robustness", ms: Math.round(now() - t) });
    onProgress({ phase: "robustness", fraction: 1 });
  }

  const metrics = flattenMetrics(sections);
  const policy = evaluatePolicy(spec.policy, metrics, sections.fairness);
  timings.push({ analysis: "total", ms: Math.round(now() - t0 + inputs.loadMs) });
  onProgress({ phase: "done", fraction: 1 });

  const m = inputs.model;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    definitions: definitionsFor(sections),
    id: inputs.id ?? globalThis.crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    engine: {
      name: "assay",
      version: inputs.engineVersion,
      backend: inputs.backend?.name ?? "none (score column)",
      tfjsVersion: inputs.backend?.tfjsVersion ?? null,
      node: inputs.nodeVersion ?? "",
      ...(inputs.backend?.adapter ? { adapter: { ...inputs.backend.adapter } } : {}),
    },
    spec,
    dataset: {
      path: inputs.dataset.path,
      sha256: inputs.dataset.sha256,
      bytes: inputs.dataset.bytes,
      rows: table.rows,
      columns: profileColumns(table),
      label: { column: spec.dataset.label, positive: spec.dataset.positive, negative: label.negative, positives: label.positives, negatives: table.rows - label.positives },
      weight: weights ? { column: spec.dataset.weight!, total: weights.total } : null,
    },
    model: isScoreModel(spec.model)
      ? { kind: "score", scoreColumn: spec.model.score, outputType, probability }
      : modelSection(m!, outputType, probability),
    decision: { threshold, rule, positiveDecision: spec.positive_decision },
    warnings,
    timings,
    sections,
    metrics,
    policy,
    passed: policy.every((p) => p.pass),
  };
}

/** Groups the fairness analysis left out (min_group_size, min_group_share), by attribute. */
function excludedByFairness(f: Report["sections"]["fairness"]): Map<string, Set<string>> {
  return new Map((f?.attributes ?? []).map((a) => [a.attribute, new Set(a.excluded.map((x) => x.group))]));
}

function now(): number {
  return performance.now();
}

function modelSection(m: NonNullable<AuditInputs["model"]>, outputType: string, probability: boolean): Report["model"] {
  const l = m.loaded;
  const t = l.trees;
  return {
    kind: l.format,
    path: m.path,
    files: m.files,
    outputType,
    probability,
    inputs: l.inputWidth,
    features: l.manifest.features.map((f) => f.name),
    output: l.outputDescription,
    ...(t ? { trees: { ...describeEnsemble(t), source: t.source, units: t.units } } : {}),
    gradients: l.gradients.kind === "none" ? `none: ${l.gradients.reason}` : l.gradients.description,
    ...(m.runtime ? { runtime: m.runtime } : {}),
  };
}

function labelVector(table: Table, spec: TAuditSpec): { y: Uint8Array; positives: number; negative: string | null } {
  const col = getColumnOrThrow(table, spec.dataset.label, "label");
  const positive = spec.dataset.positive;
  const posCode = col.categories.indexOf(positive);
  if (posCode === -1) {
    throw invalidInput(`the positive label value "${positive}" never occurs; the label's values are: ${listValues(col)}`, {
      file: table.fileName,
      column: col.name,
    });
  }
  if (col.categories.length > 2) {
    const third = col.categoryFirstRow[2]!;
    throw invalidInput(`the label must be binary, but it has ${col.categories.length} values (${listValues(col)}); the third first appears here`, {
      file: table.fileName,
      line: lineOfRow(table, third),
      column: col.name,
    });
  }
  if (col.missing > 0) {
    const row = col.codes.indexOf(-1);
    throw invalidInput(`the label is empty in ${col.missing} row${col.missing === 1 ? "" : "s"} (first here); every row needs an outcome`, {
      file: table.fileName,
      line: lineOfRow(table, row),
      column: col.name,
    });
  }
  const y = new Uint8Array(table.rows);
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (col.codes[i] === posCode) {
      y[i] = 1;
      positives++;
    }
  }
  const negative = col.categories.find((c) => c !== positive) ?? null;
  return { y, positives, negative };
}

function listValues(col: Column): string {
  const shown = col.categories.slice(0, 6).map((c) => JSON.stringify(c));
  return shown.join(", ") + (col.categories.length > 6 ? ", …" : "");
}

function weightVector(table: Table, name: string): { w: Float64Array; total: number } {
  const col = getColumnOrThrow(table, name, "weight");
  if (!col.numbers) throw nonNumericError(table, col, "sample weight");
  const w = col.numbers;
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (!(x >= 0)) {
      throw invalidInput(x !== x ? "sample weight is empty" : `sample weight must be ≥ 0, got ${x}`, {
        file: table.fileName,
        line: lineOfRow(table, i),
        column: name,
      });
    }
    total += x;
  }
  if (!(total > 0)) throw invalidInput("sample weights sum to 0", { file: table.fileName, column: name });
  return { w, total };
}

function scoreVector(table: Table, name: string): Float64Array {
  const col = getColumnOrThrow(table, name, "score");
  if (!col.numbers) throw nonNumericError(table, col, "the score column");
  if (col.missing > 0) {
    throw invalidInput(`the score is empty in ${col.missing} row${col.missing === 1 ? "" : "s"} (first here)`, {
      file: table.fileName,
      line: lineOfRow(table, col.codes.indexOf(-1)),
      column: name,
    });
  }
  return col.numbers;
}

function buildGroupings(table: Table, spec: TAuditSpec): Array<{ grouping: Grouping; intersection: boolean }> {
  const single = new Map<string, Grouping>();
  for (const a of spec.sensitive) single.set(a, groupByColumn(getColumnOrThrow(table, a, "sensitive attribute")));
  const out = spec.sensitive.map((a) => ({ grouping: single.get(a)!, intersection: false }));
  for (const combo of intersectionSets(spec)) out.push({ grouping: intersect(combo.map((a) => single.get(a)!)), intersection: true });
  const refs = spec.analyses.fairness?.reference ?? {};
  for (const [attribute, group] of Object.entries(refs)) {
    const g = out.find((o) => o.grouping.attribute === attribute)!.grouping;
    if (!g.names.includes(group)) {
      throw invalidInput(`reference group "${group}" does not occur in ${attribute}; its groups are: ${g.names.map((n) => JSON.stringify(n)).join(", ")}`, {
        field: `analyses.fairness.reference.${attribute}`,
      });
    }
  }
  return out;
}

function performanceSection(
  scores: Float64Array,
  y: Uint8Array,
  decision: Uint8Array,
  w: Float64Array | null,
  probability: boolean,
  opts: NonNullable<TAuditSpec["analyses"]["performance"]>,
): PerformanceSection {
  const c = confusionOf(y, decision, w);
  const point = thresholdMetrics(c);
  const levels = scoreLevels(scores, y, w);
  const auc = rocAuc(levels);
  let cis: Record<string, [number, number] | null> = {};
  if (opts.bootstrap > 0) {
    const counts = Float64Array.of(c.tp, c.fp, c.tn, c.fn);
    if (w) {
      const unweighted = confusionOf(y, decision, null);
      counts.set([unweighted.tp, unweighted.fp, unweighted.tn, unweighted.fn]);
    }
    const B = opts.bootstrap;
    const res = bootstrapCells(counts, y, decision, w, B, createRng(opts.seed));
    const values: Record<string, Float64Array> = Object.fromEntries(THRESHOLD_METRIC_IDS.map((id) => [id, new Float64Array(B)]));
    for (let b = 0; b < B; b++) {
      const m = thresholdMetrics({ tp: res[b * 4]!, fp: res[b * 4 + 1]!, tn: res[b * 4 + 2]!, fn: res[b * 4 + 3]! });
      for (const id of THRESHOLD_METRIC_IDS) values[id]![b] = m[id] ?? NaN;
    }
    cis = Object.fromEntries(THRESHOLD_METRIC_IDS.map((id) => [id, point[id] === null ? null : percentileInterval(values[id]!, opts.confidence)]));
  }
  const metrics: PerformanceSection["metrics"] = {};
  for (const id of THRESHOLD_METRIC_IDS) metrics[id] = { value: point[id], ...(opts.bootstrap > 0 ? { ci: cis[id] ?? null } : {}) };
  metrics.roc_auc = { value: auc, ci: auc === null || w ? null : rocAucDeLongInterval(levels, normalQuantile(opts.confidence)) };
  metrics.average_precision = { value: averagePrecision(levels) };
  if (probability) {
    metrics.log_loss = { value: logLoss(scores, y, w) };
    metrics.brier_score = { value: brierScore(scores, y, w) };
  }
  return {
    rows: y.length,
    weight: c.tp + c.fp + c.tn + c.fn,
    confusion: c,
    metrics,
    roc: rocCurve(levels).map((p) => ({ threshold: Number.isFinite(p.threshold) ? p.threshold : null, fpr: p.fpr, tpr: p.tpr })),
    calibration: probability ? calibrationBins(scores, y, w).map(({ lo, hi, count, meanScore, observedRate }) => ({ lo, hi, count, meanScore, observedRate })) : null,
    aucInterval: auc === null || w ? null : { method: "DeLong (normal approximation)" },
    bootstrap: opts.bootstrap > 0 ? { resamples: opts.bootstrap, seed: opts.seed, confidence: opts.confidence } : null,
  };
}

/** z such that P(|Z| ≤ z) = confidence (Acklam's inverse normal, |error| < 1.2e-9). */
export function normalQuantile(confidence: number): number {
  const p = 1 - (1 - confidence) / 2;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const plow = 0.02425;
  if (p > 1 - plow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
