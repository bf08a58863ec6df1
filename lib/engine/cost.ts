// What an audit will cost before it runs: model evaluations (rows scored) implied by the spec's
// budgets, so that a spec asking for days of work or for 2^24 coalitions per row is refused
// up front with the estimate and the limit (ASSAY_MAX_AUDIT_EVALUATIONS) instead of occupying
// a worker. Counts follow the algorithms: permutation importance scores the evaluated rows once
// per (feature, repeat) plus a baseline; KernelSHAP scores every explained row's coalitions
// against every background row; TreeSHAP walks the trees (counted as one evaluation per row);
// gradient attacks take a forward and a backward pass per step, restart and budget; random and
// boundary attacks spend their queries per row and budget.

import type { TAuditSpec } from "../spec/schema";
import { defaultBudget, exactFits } from "./shap/coalitions";

export interface CostPart {
  analysis: string;
  evaluations: number;
  /** How the number comes about, in words ("200 rows × 510 coalitions × 100 background rows"). */
  detail: string;
}

export interface CostEstimate {
  evaluations: number;
  parts: CostPart[];
}

/** KernelSHAP's players and permutation importance's features: the model's distinct raw input columns. */
export function rawColumnCount(features: ReadonlyArray<{ column: string }> | null | undefined): number {
  return new Set((features ?? []).map((f) => f.column)).size;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

/**
 * @param rows dataset rows
 * @param players raw input columns of the model (KernelSHAP's players; permutation importance's features)
 * @param tree whether TreeSHAP applies (method tree, or auto on a tree ensemble)
 * @param backgroundFileRows rows of the SHAP background file when it has been read (else counted as 1,000)
 */
export function estimateAuditCost(spec: TAuditSpec, rows: number, players: number, tree = false, backgroundFileRows?: number): CostEstimate {
  const parts: CostPart[] = [{ analysis: "scoring", evaluations: rows, detail: `${n(rows)} rows` }];
  const a = spec.analyses;
  const pi = a.permutation_importance;
  if (pi) {
    const m = pi.max_samples === undefined ? Math.min(rows, 100_000) : pi.max_samples <= 1 ? Math.ceil(pi.max_samples * rows) : Math.min(rows, pi.max_samples);
    parts.push({ analysis: "permutation importance", evaluations: m * (players * pi.repeats + 1), detail: `${n(m)} rows × (${players} columns × ${pi.repeats} repeats + 1)` });
  }
  const shap = a.shap;
  if (shap) {
    const explained = Array.isArray(shap.rows) ? shap.rows.length : Math.min(shap.rows, rows);
    if (shap.method === "tree" || (shap.method === "auto" && tree)) {
      parts.push({ analysis: "TreeSHAP", evaluations: explained, detail: `${n(explained)} rows` });
    } else {
      const bg = "path" in shap.background ? (backgroundFileRows ?? 1000) : shap.background.method === "sample" ? shap.background.size : shap.background.k;
      const samples = "samples" in shap ? shap.samples : "auto";
      // a target is refused or admitted on its most: its max coalitions
      const target = typeof samples === "object" ? Math.min(samples.max ?? 8 * defaultBudget(players), Math.pow(2, players) - 2) : null;
      const budget = target ?? (typeof samples === "number" ? samples : defaultBudget(players));
      const exact = target === null && (samples === "exact" || (samples !== undefined && typeof samples !== "number" && exactFits(players, budget)));
      const coalitions = exact ? Math.pow(2, players) - 2 : budget;
      parts.push({
        analysis: "KernelSHAP",
        evaluations: explained * (coalitions * bg + bg + 1),
        detail: `${n(explained)} rows × ${target !== null ? "up to " : ""}${n(coalitions)} ${exact ? "(all) " : ""}coalitions × ${n(bg)} background rows${"path" in shap.background && backgroundFileRows === undefined ? " (a background file counts as up to 1,000 rows)" : ""}`,
      });
    }
  }
  const rob = a.robustness;
  if (rob) {
    const attacked = Math.min(rob.rows, rows);
    const eps = rob.epsilons.length;
    if (rob.attack === "pgd" || rob.attack === "fgsm") {
      const steps = rob.attack === "fgsm" ? 1 : rob.steps;
      parts.push({ analysis: "robustness", evaluations: attacked * eps * rob.restarts * (steps * 2 + 1), detail: `${n(attacked)} rows × ${eps} budgets × ${rob.restarts} restarts × (${steps} steps × 2 passes + 1)` });
    } else {
      parts.push({ analysis: "robustness", evaluations: attacked * eps * rob.queries, detail: `${n(attacked)} rows × ${eps} budgets × ${n(rob.queries)} queries` });
    }
  }
  return { evaluations: parts.reduce((s, p) => s + p.evaluations, 0), parts };
}

/** The sentence a refused audit gets: the estimate, its largest part, and the limit. */
export function costRefusal(est: CostEstimate, limit: number): string | null {
  if (est.evaluations <= limit) return null;
  const top = [...est.parts].sort((x, y) => y.evaluations - x.evaluations)[0]!;
  return `this audit needs about ${est.evaluations.toExponential(2)} model evaluations (mostly ${top.analysis}: ${top.detail}), more than the limit of ${limit.toExponential(2)} (ASSAY_MAX_AUDIT_EVALUATIONS); lower the budgets (rows, samples, background size, repeats, steps, queries) or raise the limit`;
}
