// How the explanations were made, stated so a reviewer can judge them: permutation importance
// (scoring, repeats, rows, seed, baseline) and KernelSHAP (exact or sampled, coalitions and
// budget, link, background method and rows, explained rows, sampling error, additivity).

import { fmtTargetError, shapUnits } from "../../../views/explanations";
import type { PermutationImportanceSection, ShapSection } from "../../../report/types";
import { fmtCount, fmtPlain, fmtValue } from "../../../views/format";

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** 10 → "¹⁰" (for 2¹⁰ in running text). */
export function superscript(n: number): string {
  return String(n)
    .split("")
    .map((d) => SUPERSCRIPT[Number(d)] ?? d)
    .join("");
}

export interface MethodRow {
  label: string;
  value: string;
}

export function permutationMethod(pi: PermutationImportanceSection): MethodRow[] {
  const base = pi.baselines.length ? pi.baselines.reduce((s, b) => s + b, 0) / pi.baselines.length : null;
  const same = pi.baselines.every((b) => b === pi.baselines[0]);
  return [
    { label: "Score", value: `${pi.scoring}; importance = ${pi.direction}` },
    { label: "Repeats", value: `${fmtCount(pi.repeats)} independent shuffles per column (seed ${pi.seed})` },
    { label: "Rows", value: `${fmtCount(pi.rows)}${pi.subsampled ? " per repeat (a fresh subsample each time; the baseline is scored on the same subsample)" : " (all rows)"}` },
    { label: "Baseline score", value: same ? fmtValue(base) : `${fmtValue(base)} (mean over repeats)` },
    { label: "Spread", value: "whiskers show ± one standard deviation over the repeats" },
  ];
}

function backgroundText(shap: ShapSection): string {
  const b = shap.background;
  if (b.method === "kmeans") return `weighted k-means, ${fmtCount(b.rows)} centres snapped to real rows`;
  if (b.method === "file") return `${fmtCount(b.rows)} rows from ${b.path ?? "a file"}`;
  return `random sample of ${fmtCount(b.rows)} rows`;
}

/** Median and largest per-contribution standard error over all explained rows (0 in exact mode). */
export function seSummary(shap: Pick<ShapSection, "rows">): { median: number | null; max: number | null } {
  const all = shap.rows.flatMap((r) => r.se).sort((a, b) => a - b);
  if (all.length === 0) return { median: null, max: null };
  const mid = all.length >> 1;
  return { median: all.length % 2 ? all[mid]! : (all[mid - 1]! + all[mid]!) / 2, max: all[all.length - 1]! };
}

export function shapMethod(shap: ShapSection): MethodRow[] {
  if (shap.method === "tree") return treeShapMethod(shap);
  const m = shap.features.length;
  const maxSe = shap.global.reduce((s, g) => Math.max(s, g.se), 0);
  const all = 2 ** m - 2;
  const rowSe = seSummary(shap);
  return [
    {
      label: "Mode",
      value:
        shap.mode === "exact"
          ? `exact: all 2${superscript(m)} − 2 = ${fmtCount(all)} coalitions of the ${m} columns`
          : shap.target
            ? `sampled to a target: each row's estimated relative squared error Σse²/Σφ² at most ${fmtTargetError(shap.target.error)} (within ${fmtCount(shap.target.max)} coalitions), in ${shap.target.rounds} round${shap.target.rounds === 1 ? "" : "s"}; coalitions per row ${fmtCount(shap.target.coalitionsPerRow.min)} (least), ${fmtCount(shap.target.coalitionsPerRow.median)} (median), ${fmtCount(shap.target.coalitionsPerRow.max)} (most) of ${fmtCount(all)}; ${fmtCount(shap.target.rowsMet)} of ${fmtCount(shap.explained.rows)} rows met the target (estimated error: mean ${fmtTargetError(shap.target.estimatedError.mean)}, largest ${fmtTargetError(shap.target.estimatedError.max)}); ${shap.sampling === "kernel" ? "sizes drawn by Shapley kernel weight, paired with complements" : "leverage-score sampling"}${shap.completeSizes.length ? `; sizes ${shap.completeSizes.join(", ")} enumerated completely` : ""}`
            : `sampled: ${fmtCount(shap.coalitions)} of ${fmtCount(all)} coalitions (budget ${fmtCount(shap.budget)}, ${shap.sampling === "kernel" ? "sizes drawn by Shapley kernel weight, paired with complements" : "leverage-score sampling"}${shap.completeSizes.length ? `; sizes ${shap.completeSizes.join(", ")} enumerated completely` : ""})`,
    },
    { label: "Link", value: shap.link === "logit" ? "logit: contributions in log-odds" : "identity: contributions in probability" },
    { label: "Background", value: backgroundText(shap) },
    { label: "Explained rows", value: `${fmtCount(shap.explained.rows)} (${shap.explained.method === "sample" ? `a random sample, seed ${shap.seed}` : "rows named in the spec"})` },
    { label: "Base value φ₀", value: `${fmtValue(shap.baseValue)} (${shap.link === "logit" ? "log-odds of the average predicted probability" : "average predicted probability"} over the background rows)` },
    {
      label: "Coalition sampling error",
      value: shap.mode === "exact" ? "none: every coalition was evaluated" : `standard error of each row's contributions (paired-sample batches): median ${fmtValue(rowSe.median)}, largest ${fmtValue(rowSe.max)}`,
    },
    { label: "Row sampling error", value: `standard error of each mean |SHAP| over the explained rows: largest ${fmtValue(maxSe)}; whiskers in the chart are ± 1.96 SE` },
    { label: "Additivity", value: `largest |Σφ + φ₀ − output| = ${shap.maxAdditivityError.toExponential(1)}` },
    { label: "Evaluations", value: `${fmtCount(shap.evaluations)} model rows (${fmtCount(Math.round(shap.evaluationsPerSecond))} per second, ${shap.threads} thread${shap.threads === 1 ? "" : "s"})` },
    { label: "Seed", value: fmtPlain(shap.seed) },
  ];
}

/** TreeSHAP: exact by construction; values are on the margin's scale, not comparable with KernelSHAP's. */
function treeShapMethod(shap: ShapSection): MethodRow[] {
  const units = shapUnits(shap);
  const t = shap.trees;
  const maxSe = shap.global.reduce((s, g) => Math.max(s, g.se), 0);
  return [
    {
      label: "Method",
      value: `exact interventional TreeSHAP (Lundberg et al. 2020): the exact Shapley values of the model's margin averaged over the background rows, computed tree by tree in polynomial time; no coalitions are sampled`,
    },
    ...(t ? [{ label: "Trees", value: `${fmtCount(t.count)} trees of depth ≤ ${t.maxDepth}, ${fmtCount(t.leaves)} leaves (${t.source})` }] : []),
    {
      label: "Units",
      value:
        units === "log-odds"
          ? "log-odds: each contribution moves the model's margin; P(positive) = σ(margin). Not comparable with KernelSHAP values in probability"
          : "probability: the trees' average is the predicted probability",
    },
    { label: "Background", value: backgroundText(shap) },
    { label: "Explained rows", value: `${fmtCount(shap.explained.rows)} (${shap.explained.method === "sample" ? `a random sample, seed ${shap.seed}` : "rows named in the spec"})` },
    { label: "Base value φ₀", value: `${fmtValue(shap.baseValue)} (the average margin over the background rows, in ${units})` },
    { label: "Coalition sampling error", value: "none: the values are exact" },
    { label: "Row sampling error", value: `standard error of each mean |SHAP| over the explained rows: largest ${fmtValue(maxSe)}; whiskers in the chart are ± 1.96 SE` },
    { label: "Additivity", value: `largest |Σφ + φ₀ − margin| = ${shap.maxAdditivityError.toExponential(1)}` },
    { label: "Evaluations", value: `${fmtCount(shap.evaluations)} tree × background × row walks (${shap.threads} thread${shap.threads === 1 ? "" : "s"})` },
    { label: "Seed", value: fmtPlain(shap.seed) },
  ];
}
