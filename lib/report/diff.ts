// Comparison of two or more reports of the same model family on the same dataset, oldest first:
// every flat metric (matched on id + attribute + group + feature + ε) with its value per version,
// the change from the previous version and whether that change is better or worse (direction
// table in lib/views/directions.ts); policy status changes (matched on metric + attribute +
// group + feature + ε); and the rank changes of features by mean |SHAP| and by permutation
// importance. Pure: it reads numbers, it computes only differences and ranks.

import { compareValues, metricDirection, type Change, type Direction } from "../views/directions";
import type { FlatMetric, PolicyResult, Report } from "./types";
import { positiveDecisionOf } from "./disadvantage";
import type { PositiveDecision } from "../vocabulary";

export interface MetricKey {
  id: string;
  attribute?: string;
  group?: string;
  feature?: string;
  epsilon?: number;
}

/** One string per metric address; reports match on it. */
export function metricKey(m: MetricKey): string {
  return JSON.stringify([m.id, m.attribute ?? null, m.group ?? null, m.feature ?? null, m.epsilon ?? null]);
}

export interface MetricDiffRow extends MetricKey {
  key: string;
  direction: Direction;
  /** Value per report (null when undefined in that report). */
  values: Array<number | null>;
  /** Whether the metric exists in each report at all (a null value still counts as present). */
  present: boolean[];
  /** Per report: value − previous report's value (null for the first, or when either is null). */
  deltas: Array<number | null>;
  /** Per report: better / worse / same / n/a against the previous report ("n/a" for the first). */
  changes: Change[];
  /** Last against first. */
  overall: { delta: number | null; change: Change };
}

export type PolicyStatus = "pass" | "fail" | "absent";
export type PolicyTransition = "unchanged" | "fixed" | "regressed" | "added" | "removed";

export interface PolicyDiffRow {
  key: string;
  metric: string;
  attribute?: string;
  group?: string;
  feature?: string;
  epsilon?: number;
  min?: number;
  max?: number;
  statuses: PolicyStatus[];
  values: Array<number | null>;
  notes: Array<string | undefined>;
  /** Per report against the previous one ("unchanged" for the first). */
  transitions: PolicyTransition[];
  /** Last against first. */
  overall: PolicyTransition;
}

export interface RankDiffRow {
  feature: string;
  /** 1 = most important; null when the feature is not in that report. */
  ranks: Array<number | null>;
  values: Array<number | null>;
  /** Per report: previous rank − rank (positive = moved up); null for the first or when absent. */
  moves: Array<number | null>;
  /** Last against first, as in `moves`. */
  overallMove: number | null;
}

export interface ReportDiff {
  /** Dataset SHA-256 of each report, and whether they all agree. */
  datasets: string[];
  sameDataset: boolean;
  metrics: MetricDiffRow[];
  policy: PolicyDiffRow[];
  shapRanks: RankDiffRow[];
  importanceRanks: RankDiffRow[];
}

/** Rows of every metric over the reports; "better" and "worse" follow `pd` (what a positive decision means). */
export function diffMetrics(lists: ReadonlyArray<readonly FlatMetric[]>, pd?: PositiveDecision): MetricDiffRow[] {
  const rows = new Map<string, MetricDiffRow>();
  const n = lists.length;
  lists.forEach((metrics, r) => {
    for (const m of metrics) {
      const key = metricKey(m);
      let row = rows.get(key);
      if (!row) {
        row = {
          key,
          id: m.id,
          ...(m.attribute !== undefined ? { attribute: m.attribute } : {}),
          ...(m.group !== undefined ? { group: m.group } : {}),
          ...(m.feature !== undefined ? { feature: m.feature } : {}),
          ...(m.epsilon !== undefined ? { epsilon: m.epsilon } : {}),
          direction: metricDirection(m.id, pd),
          values: new Array<number | null>(n).fill(null),
          present: new Array<boolean>(n).fill(false),
          deltas: [],
          changes: [],
          overall: { delta: null, change: "n/a" },
        };
        rows.set(key, row);
      }
      row.values[r] = m.value;
      row.present[r] = true;
    }
  });
  for (const row of rows.values()) {
    row.deltas = row.values.map((v, i) => (i === 0 ? null : delta(row.values[i - 1]!, v)));
    row.changes = row.values.map((v, i) => (i === 0 ? "n/a" : compareValues(row.id, row.values[i - 1], v, pd)));
    const first = row.values[0] ?? null;
    const last = row.values[n - 1] ?? null;
    row.overall = { delta: n > 1 ? delta(first, last) : null, change: n > 1 ? compareValues(row.id, first, last, pd) : "n/a" };
  }
  return [...rows.values()];
}

function delta(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

function policyKey(p: PolicyResult): string {
  return metricKey({ id: p.metric, attribute: p.attribute, group: p.group, feature: p.feature, epsilon: p.epsilon });
}

function transition(a: PolicyStatus, b: PolicyStatus): PolicyTransition {
  if (a === b) return "unchanged";
  if (a === "absent") return "added";
  if (b === "absent") return "removed";
  return b === "pass" ? "fixed" : "regressed";
}

export function diffPolicies(lists: ReadonlyArray<readonly PolicyResult[]>): PolicyDiffRow[] {
  const rows = new Map<string, PolicyDiffRow>();
  const n = lists.length;
  lists.forEach((policy, r) => {
    for (const p of policy) {
      const key = policyKey(p);
      let row = rows.get(key);
      if (!row) {
        row = {
          key,
          metric: p.metric,
          ...(p.attribute !== undefined ? { attribute: p.attribute } : {}),
          ...(p.group !== undefined ? { group: p.group } : {}),
          ...(p.feature !== undefined ? { feature: p.feature } : {}),
          ...(p.epsilon !== undefined ? { epsilon: p.epsilon } : {}),
          statuses: new Array<PolicyStatus>(n).fill("absent"),
          values: new Array<number | null>(n).fill(null),
          notes: new Array<string | undefined>(n).fill(undefined),
          transitions: [],
          overall: "unchanged",
        };
        rows.set(key, row);
      }
      // the latest limits describe the check
      if (p.min !== undefined) row.min = p.min;
      else delete row.min;
      if (p.max !== undefined) row.max = p.max;
      else delete row.max;
      row.statuses[r] = p.pass ? "pass" : "fail";
      row.values[r] = p.value;
      row.notes[r] = p.note;
    }
  });
  for (const row of rows.values()) {
    row.transitions = row.statuses.map((s, i) => (i === 0 ? "unchanged" : transition(row.statuses[i - 1]!, s)));
    row.overall = transition(row.statuses[0]!, row.statuses[n - 1]!);
  }
  return [...rows.values()];
}

/** Ranks (1 = largest value; ties share the better rank) of features by a per-feature value. */
export function rankFeatures(values: ReadonlyArray<{ feature: string; value: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of values) out.set(f.feature, 1 + values.filter((o) => o.value > f.value).length);
  return out;
}

export function diffRanks(lists: ReadonlyArray<ReadonlyArray<{ feature: string; value: number }> | null>): RankDiffRow[] {
  const n = lists.length;
  const ranks = lists.map((l) => (l ? rankFeatures(l) : new Map<string, number>()));
  const features: string[] = [];
  for (const l of lists) for (const f of l ?? []) if (!features.includes(f.feature)) features.push(f.feature);
  const rows = features.map((feature) => {
    const r = ranks.map((m) => m.get(feature) ?? null);
    const values = lists.map((l) => l?.find((f) => f.feature === feature)?.value ?? null);
    const move = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    return { feature, ranks: r, values, moves: r.map((x, i) => (i === 0 ? null : move(r[i - 1]!, x))), overallMove: n > 1 ? move(r[0]!, r[n - 1]!) : null };
  });
  // by latest rank, features missing from the latest report last
  const last = (row: RankDiffRow) => row.ranks[n - 1] ?? Infinity;
  return rows.sort((a, b) => last(a) - last(b) || (a.ranks.find((x) => x !== null) ?? 0) - (b.ranks.find((x) => x !== null) ?? 0));
}

/** Compares reports, oldest first. Throws when fewer than two are given. */
export function diffReportsOrThrow(reports: readonly Report[]): ReportDiff {
  if (reports.length < 2) throw new Error(`diffReports: expected at least 2 reports, got ${reports.length}`);
  const datasets = reports.map((r) => r.dataset.sha256);
  return {
    datasets,
    sameDataset: datasets.every((d) => d === datasets[0]),
    // the latest report says what a positive decision means (versions of one model share it)
    metrics: diffMetrics(
      reports.map((r) => r.metrics),
      reports.length ? positiveDecisionOf(reports[reports.length - 1]!) : undefined,
    ),
    policy: diffPolicies(reports.map((r) => r.policy)),
    shapRanks: diffRanks(reports.map((r) => r.sections.shap?.global.map((g) => ({ feature: g.feature, value: g.meanAbs })) ?? null)),
    importanceRanks: diffRanks(reports.map((r) => r.sections.permutationImportance?.features.map((f) => ({ feature: f.feature, value: f.mean })) ?? null)),
  };
}
