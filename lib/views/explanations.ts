// The Explanations tab: permutation importance bars (mean ± std over repeats), SHAP global bars
// (mean |φ| ± 1.96·se), the beeswarm layout (one dot per explained row and feature, x = φ,
// colour = the feature's value low → high; categories ranked by their mean φ), the table of
// explained rows and the waterfall of one row (base value → contributions → model output).

import type { PermutationImportanceSection, ShapSection } from "../report/types";
import { fmtCount, fmtPlain, fmtValue } from "./format";

export interface ImportanceBar {
  feature: string;
  value: number;
  /** Whisker lengths below and above. */
  error: [number, number];
  text: string;
}

export interface ImportanceView {
  bars: ImportanceBar[];
  axisLabel: string;
  caption: string;
}

export function permutationView(pi: PermutationImportanceSection): ImportanceView {
  const bars = [...pi.features]
    .sort((a, b) => b.mean - a.mean)
    .map((f) => ({ feature: f.feature, value: f.mean, error: [f.std, f.std] as [number, number], text: `${fmtValue(f.mean)} ± ${fmtValue(f.std)}` }));
  return {
    bars,
    axisLabel: `Importance (${pi.direction})`,
    caption: `How much the model's ${pi.scoring} gets worse when one column's values are shuffled: ${pi.direction}. ${pi.repeats} repeats on ${fmtCount(pi.rows)} rows${pi.subsampled ? " (a subsample)" : ""}; bars show the mean, whiskers ± one standard deviation over the repeats.`,
  };
}

/** What the row table and the waterfall need from the SHAP section (small enough to send to the browser). */
export type ShapRowsInput = Pick<ShapSection, "features" | "baseValue" | "link" | "units" | "method" | "rows">;

/** The scale of φ: probability or log-odds (older reports: from the link). */
export function shapUnits(shap: Pick<ShapSection, "link" | "units">): "probability" | "log-odds" {
  return shap.units ?? (shap.link === "logit" ? "log-odds" : "probability");
}

function outputUnit(shap: Pick<ShapSection, "link" | "units">): string {
  return shapUnits(shap);
}

/** A target relative squared error as written in a spec (3.8e-4, 0.001). */
export function fmtTargetError(e: number): string {
  return e >= 0.001 ? String(Number(e.toPrecision(3))) : e.toExponential(1).replace(".0e", "e");
}

/** Which SHAP algorithm ran, in a few words, for every place that shows SHAP values. */
export function shapMethodText(shap: Pick<ShapSection, "method" | "mode" | "coalitions" | "sampling" | "link" | "units" | "trees" | "target">): string {
  if (shap.method === "tree") {
    const t = shap.trees;
    return `exact interventional TreeSHAP on the model's margin (${shapUnits(shap)})${t ? ` · ${fmtCount(t.count)} trees, depth ≤ ${t.maxDepth}` : ""}`;
  }
  const t = shap.target;
  const mode =
    shap.mode === "exact"
      ? `exact, ${fmtCount(shap.coalitions)} coalitions`
      : t
        ? `sampled to a target error of ${fmtTargetError(t.error)}: ${fmtCount(t.coalitionsPerRow.min)}–${fmtCount(t.coalitionsPerRow.max)} coalitions per row, ${shap.sampling} sampling`
        : `sampled, ${fmtCount(shap.coalitions)} coalitions, ${shap.sampling} sampling`;
  return `KernelSHAP (${mode}; ${shap.link} link, ${shapUnits(shap)})`;
}

/** The sentence above the SHAP charts: what the values are and which algorithm made them. */
export function shapLead(shap: ShapSection): string {
  if (shap.method === "tree") {
    return `SHAP splits each prediction into one contribution per column; these bars average their size over the explained rows. Computed exactly by TreeSHAP on the model's margin, so the values are in ${shapUnits(shap)}${shapUnits(shap) === "log-odds" ? " (P = σ(margin)), not probability points" : ""}.`;
  }
  return `SHAP splits each prediction into one contribution per column; these bars average their size over the explained rows. Estimated by KernelSHAP, in ${shapUnits(shap)}.`;
}

export function shapGlobalView(shap: ShapSection): ImportanceView {
  const bars = [...shap.global]
    .sort((a, b) => b.meanAbs - a.meanAbs)
    .map((g) => ({ feature: g.feature, value: g.meanAbs, error: [1.96 * g.se, 1.96 * g.se] as [number, number], text: `${fmtValue(g.meanAbs)} ± ${fmtValue(1.96 * g.se)}` }));
  return {
    bars,
    axisLabel: `Mean |SHAP value| (${outputUnit(shap)})`,
    caption: `Average size of each column's contribution over ${fmtCount(shap.rows.length)} explained rows (${shapMethodText(shap)}); whiskers ± 1.96 standard errors over the rows.`,
  };
}

export interface BeeswarmDot {
  /** Position of the row in shap.rows. */
  index: number;
  row: number;
  phi: number;
  /** 0 = lowest value, 1 = highest; null = missing value. */
  t: number | null;
  valueText: string;
  /** Vertical slot: 0, +1, −1, +2, … dots within the same x bin. */
  offset: number;
}

export interface BeeswarmFeature {
  feature: string;
  kind: "numeric" | "categorical";
  dots: BeeswarmDot[];
  /** For categorical features: categories from lowest to highest mean φ. */
  categories: string[] | null;
  /** Largest |offset| of this feature's dots (the view squeezes each row to fit). */
  maxOffset: number;
}

export interface BeeswarmView {
  features: BeeswarmFeature[];
  domain: [number, number];
  maxOffset: number;
  axisLabel: string;
}

/** Slots 0, +1, −1, +2, −2, … for the k-th dot of a bin. */
export function swarmOffset(k: number): number {
  return k === 0 ? 0 : k % 2 === 1 ? (k + 1) / 2 : -k / 2;
}

export function beeswarmView(shap: ShapSection, bins = 120): BeeswarmView {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of shap.rows) {
    for (const p of r.phi) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = -1;
    hi = 1;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const order = [...shap.features.keys()].sort((a, b) => meanAbsOf(shap, b) - meanAbsOf(shap, a));
  let maxOffset = 0;
  const features = order.map((j) => {
    const feature = shap.features[j]!;
    const values = shap.rows.map((r) => r.values[j] ?? null);
    const numeric = values.every((v) => v === null || typeof v === "number");
    let toT: (v: number | string | null) => number | null;
    let categories: string[] | null = null;
    if (numeric) {
      const nums = values.filter((v): v is number => typeof v === "number");
      const min = Math.min(...nums);
      const max = Math.max(...nums);
      toT = (v) => (typeof v === "number" ? (max > min ? (v - min) / (max - min) : 0.5) : null);
    } else {
      const sum = new Map<string, [number, number]>();
      shap.rows.forEach((r) => {
        const v = r.values[j];
        if (v === null || v === undefined) return;
        const s = sum.get(String(v)) ?? [0, 0];
        sum.set(String(v), [s[0] + r.phi[j]!, s[1] + 1]);
      });
      categories = [...sum.entries()].sort((a, b) => a[1][0] / a[1][1] - b[1][0] / b[1][1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
      const k = categories.length;
      toT = (v) => (v === null ? null : k > 1 ? categories!.indexOf(String(v)) / (k - 1) : 0.5);
    }
    const counts = new Map<number, number>();
    let featureMax = 0;
    const dots = shap.rows
      .map((r, index) => ({ index, row: r.row, phi: r.phi[j]!, value: r.values[j] ?? null }))
      .sort((a, b) => a.phi - b.phi)
      .map((d) => {
        const bin = Math.min(bins - 1, Math.floor(((d.phi - lo) / (hi - lo)) * bins));
        const k = counts.get(bin) ?? 0;
        counts.set(bin, k + 1);
        const offset = swarmOffset(k);
        featureMax = Math.max(featureMax, Math.abs(offset));
        return { index: d.index, row: d.row, phi: d.phi, t: toT(d.value), valueText: d.value === null ? "missing" : typeof d.value === "number" ? fmtPlain(d.value) : d.value, offset };
      });
    maxOffset = Math.max(maxOffset, featureMax);
    return { feature, kind: numeric ? ("numeric" as const) : ("categorical" as const), dots, categories, maxOffset: featureMax };
  });
  return { features, domain: [lo, hi], maxOffset, axisLabel: `SHAP value: effect on the model ${shap.method === "tree" ? "margin" : "output"} (${outputUnit(shap)})` };
}

function meanAbsOf(shap: ShapSection, j: number): number {
  return shap.global.find((g) => g.feature === shap.features[j])?.meanAbs ?? 0;
}

export interface ExplainedRowView {
  index: number;
  row: number;
  line: number;
  prediction: string;
  /** The two largest contributions, e.g. "occupation +0.120, age −0.182". */
  top: string;
}

export function explainedRows(shap: ShapRowsInput): ExplainedRowView[] {
  return shap.rows.map((r, index) => {
    const top = r.phi
      .map((phi, j) => ({ feature: shap.features[j]!, phi }))
      .sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi))
      .slice(0, 2)
      .map((c) => `${c.feature} ${c.phi >= 0 ? "+" : "\u2212"}${fmtValue(Math.abs(c.phi))}`)
      .join(", ");
    return { index, row: r.row, line: r.line, prediction: fmtValue(r.prediction), top };
  });
}

export interface WaterfallStep {
  feature: string;
  valueText: string;
  phi: number;
  phiText: string;
  start: number;
  end: number;
  raises: boolean;
}

export interface WaterfallView {
  index: number;
  row: number;
  line: number;
  base: number;
  output: number;
  baseText: string;
  outputText: string;
  predictionText: string;
  unit: string;
  steps: WaterfallStep[];
  additivityText: string;
  domain: [number, number];
}

/** The waterfall of explained row `index`: the largest contributions first; beyond `maxSteps` the rest are summed. */
export function waterfallView(shap: ShapRowsInput, index: number, maxSteps = 12): WaterfallView | null {
  const r = shap.rows[index];
  if (!r) return null;
  const contributions = r.phi
    .map((phi, j) => ({ feature: shap.features[j]!, phi, value: r.values[j] ?? null }))
    .sort((a, b) => Math.abs(b.phi) - Math.abs(a.phi));
  const shown = contributions.length > maxSteps ? contributions.slice(0, maxSteps - 1) : contributions;
  const rest = contributions.slice(shown.length);
  const items = shown.map((c) => ({ feature: c.feature, valueText: c.value === null ? "missing" : typeof c.value === "number" ? fmtPlain(c.value) : c.value, phi: c.phi }));
  if (rest.length) items.push({ feature: `${rest.length} other features`, valueText: "", phi: rest.reduce((s, c) => s + c.phi, 0) });
  let at = shap.baseValue;
  let lo = at;
  let hi = at;
  const steps = items.map((c) => {
    const start = at;
    at += c.phi;
    lo = Math.min(lo, at);
    hi = Math.max(hi, at);
    return { ...c, phiText: `${c.phi >= 0 ? "+" : "\u2212"}${fmtValue(Math.abs(c.phi))}`, start, end: at, raises: c.phi >= 0 };
  });
  return {
    index,
    row: r.row,
    line: r.line,
    base: shap.baseValue,
    output: r.output,
    baseText: fmtValue(shap.baseValue),
    outputText: fmtValue(r.output),
    predictionText: fmtValue(r.prediction),
    unit: outputUnit(shap),
    steps,
    additivityText: `base value + contributions − output = ${r.additivityError.toExponential(1)} (additivity error)`,
    domain: [Math.min(lo, r.output), Math.max(hi, r.output)],
  };
}
