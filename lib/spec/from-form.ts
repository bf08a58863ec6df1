// The "New audit" form's values → an audit spec (the same schema as YAML files and the API; the
// server validates it with ZAuditSpec). Pure: used by the form in the browser and by tests.

import { DEFAULTS, type PositiveDecision } from "../vocabulary";

export type PolicyPreset = "none" | "four_fifths" | "ll144" | "custom";

export interface PolicyRow {
  metric: string;
  attribute?: string;
  group?: string;
  feature?: string;
  epsilon?: number;
  min?: number;
  max?: number;
}

export interface AuditFormValues {
  name: string;
  purpose?: string;
  intendedUse?: string;
  outOfScope?: string;
  dataset: { path: string; name: string; label: string; positive: string };
  version:
    | { kind: "model"; path: string; model: string; version: string }
    | { kind: "score"; scoreColumn: string; probability: boolean; model: string; version: string };
  sensitive: string[];
  /** The sensitive attributes crossed into one intersection (fewer than two: none). */
  intersections: string[];
  /** What a positive prediction means for the person. */
  positiveDecision: PositiveDecision;
  /** Blank: 0.5 for probabilities; for a raw score, LL144's rule (score above the median). */
  threshold: number | null;
  analyses: {
    performance: boolean;
    fairness: {
      enabled: boolean;
      bootstrap: number;
      seed: number;
      minGroupSize: number;
      /** Share of the rows, 0 to 1. */
      minGroupShare: number;
      tau: number;
      /** Reference group per attribute; absent or "" = the largest group. */
      reference: Record<string, string>;
    };
    permutationImportance: { enabled: boolean; scoring: string; repeats: number };
    /** method tree: exact TreeSHAP (tree ensembles); link applies to KernelSHAP only. */
    shap: { enabled: boolean; rows: number; background: number; method: "kernel" | "tree"; link: "identity" | "logit" };
    robustness: { enabled: boolean; attack: "pgd" | "fgsm" | "random" | "boundary"; epsilons: number[]; rows: number; categorical: "frozen" | "free"; queries?: number };
  };
  policy: { preset: PolicyPreset; custom: PolicyRow[] };
}

/** The intersection the form asks for, as the spec writes it: the picked attributes, in the order of `sensitive`. */
export function crossed(sensitive: readonly string[], intersections: readonly string[]): string[] {
  return sensitive.filter((a) => intersections.includes(a));
}

/** Policy checks a preset stands for. */
export function presetChecks(preset: PolicyPreset, sensitive: string[], intersections: readonly string[]): PolicyRow[] {
  if (preset === "four_fifths") return sensitive.map((attribute) => ({ metric: "impact_ratio", attribute, min: DEFAULTS.fourFifths }));
  if (preset === "ll144") {
    // NYC Local Law 144: impact ratios per category and for the intersection the user picked
    const rows: PolicyRow[] = sensitive.map((attribute) => ({ metric: "impact_ratio", attribute, min: DEFAULTS.fourFifths }));
    const cross = crossed(sensitive, intersections);
    if (cross.length >= 2) rows.push({ metric: "impact_ratio", attribute: cross.join(" & "), min: DEFAULTS.fourFifths });
    return rows;
  }
  return [];
}

/** The minimum group share a preset implies (LL144 lets an audit leave out categories under 2%). */
export function presetMinGroupShare(preset: PolicyPreset): number | null {
  return preset === "ll144" ? DEFAULTS.ll144MinGroupShare : null;
}

export function specFromForm(v: AuditFormValues): Record<string, unknown> {
  const model =
    v.version.kind === "model"
      ? { path: v.version.path, name: v.version.model, version: v.version.version }
      : { score: v.version.scoreColumn, probability: v.version.probability, name: v.version.model, version: v.version.version };
  const isModel = v.version.kind === "model";
  const a = v.analyses;
  const analyses: Record<string, unknown> = {};
  if (a.performance) analyses.performance = {};
  if (a.fairness.enabled) {
    const f = a.fairness;
    const reference = Object.fromEntries(Object.entries(f.reference).filter(([attr, g]) => g !== "" && v.sensitive.includes(attr)));
    analyses.fairness = {
      bootstrap: f.bootstrap,
      seed: f.seed,
      min_group_size: f.minGroupSize,
      ...(f.minGroupShare > 0 ? { min_group_share: f.minGroupShare } : {}),
      ...(f.tau !== DEFAULTS.tau ? { tau: f.tau } : {}),
      ...(Object.keys(reference).length ? { reference } : {}),
    };
  }
  if (isModel && a.permutationImportance.enabled) analyses.permutation_importance = { scoring: a.permutationImportance.scoring, repeats: a.permutationImportance.repeats };
  if (isModel && a.shap.enabled) {
    analyses.shap = {
      method: a.shap.method,
      rows: a.shap.rows,
      background: { method: "sample", size: a.shap.background },
      ...(a.shap.method === "kernel" ? { link: a.shap.link } : {}),
    };
  }
  if (isModel && a.robustness.enabled) {
    const r = a.robustness;
    const queryBased = r.attack === "random" || r.attack === "boundary";
    analyses.robustness = { attack: r.attack, epsilons: r.epsilons, rows: r.rows, categorical: r.categorical, ...(queryBased && r.queries ? { queries: r.queries } : {}) };
  }
  const policy = v.policy.preset === "custom" ? v.policy.custom : presetChecks(v.policy.preset, v.sensitive, v.intersections);
  const text = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const spec: Record<string, unknown> = {
    name: v.name.trim(),
    ...(text(v.purpose) ? { purpose: text(v.purpose) } : {}),
    ...(text(v.intendedUse) ? { intended_use: text(v.intendedUse) } : {}),
    ...(text(v.outOfScope) ? { out_of_scope: text(v.outOfScope) } : {}),
    dataset: { path: v.dataset.path, name: v.dataset.name, label: v.dataset.label, positive: v.dataset.positive },
    model,
    ...(v.threshold !== null && Number.isFinite(v.threshold) ? { threshold: v.threshold } : {}),
    positive_decision: v.positiveDecision,
    sensitive: v.sensitive,
    intersections: crossed(v.sensitive, v.intersections).length >= 2 ? [crossed(v.sensitive, v.intersections)] : false,
    analyses,
    policy: policy.map((p) => Object.fromEntries(Object.entries(p).filter(([, x]) => x !== undefined && x !== ""))),
  };
  return spec;
}
