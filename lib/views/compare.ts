// The version comparison: metrics side by side with the change from the previous version coloured
// better/worse (lib/report/diff.ts), policy status changes, SHAP and permutation-importance rank
// changes, and the series of the trend chart. Versions are given oldest first.

import { diffReportsOrThrow, type MetricDiffRow, type PolicyDiffRow, type RankDiffRow } from "../report/diff";
import { glossaryEntry } from "../report/glossary";
import type { Report } from "../report/types";
import { PERFORMANCE_METRIC_IDS, ROBUSTNESS_METRIC_IDS } from "../vocabulary";
import type { Change } from "./directions";
import { fmtDelta, fmtRequirement, fmtValue } from "./format";
import { metricQualifier, metricTitle } from "./labels";

export interface CompareItem {
  label: string;
  report: Report;
}

export interface CompareCell {
  text: string;
  /** Against the previous version; null for the first. */
  delta: string | null;
  change: Change | null;
}

export interface CompareRow {
  key: string;
  label: string;
  qualifier: string;
  explanation: string;
  cells: CompareCell[];
  overall: { delta: string; change: Change };
}

export interface CompareSection {
  id: string;
  title: string;
  /** Long lists (every group's rates) start folded. */
  folded: boolean;
  rows: CompareRow[];
  /** Rows whose last version is worse than the first. */
  worse: number;
  better: number;
}

export interface PolicyCompareRow {
  key: string;
  label: string;
  qualifier: string;
  requirement: string;
  cells: Array<{ status: "pass" | "fail" | "absent"; value: string; note: string | null }>;
  transition: PolicyDiffRow["overall"];
  transitionText: string;
  /** Colour of the change: fixed → pass, regressed → fail, otherwise neutral. */
  transitionStatus: "pass" | "fail" | "neutral";
}

export interface RankCompareRow {
  feature: string;
  cells: Array<{ rank: string; value: string; move: string | null; moved: "up" | "down" | "same" | null }>;
}

export interface TrendOption {
  key: string;
  label: string;
}

export interface CompareViewModel {
  labels: string[];
  datasetWarning: string | null;
  verdicts: Array<{ label: string; status: "pass" | "fail" | "none"; text: string }>;
  sections: CompareSection[];
  policy: PolicyCompareRow[];
  shapRanks: RankCompareRow[];
  importanceRanks: RankCompareRow[];
  trend: { options: TrendOption[]; defaults: string[]; data: Array<Record<string, number | string | null>> };
}

function compareRow(row: MetricDiffRow): CompareRow {
  const e = glossaryEntry(row.id);
  return {
    key: row.key,
    label: e.label,
    qualifier: metricQualifier(row),
    explanation: e.explanation,
    cells: row.values.map((v, i) => ({
      text: row.present[i] ? fmtValue(v) : "not measured",
      delta: i === 0 ? null : fmtDelta(row.deltas[i] ?? null),
      change: i === 0 ? null : row.changes[i]!,
    })),
    overall: { delta: fmtDelta(row.overall.delta), change: row.overall.change },
  };
}

function section(id: string, title: string, rows: MetricDiffRow[], folded: boolean): CompareSection {
  const out = rows.map(compareRow);
  return { id, title, folded, rows: out, worse: out.filter((r) => r.overall.change === "worse").length, better: out.filter((r) => r.overall.change === "better").length };
}

const TRANSITION_TEXT: Record<PolicyDiffRow["overall"], string> = {
  unchanged: "no change",
  fixed: "now passes",
  regressed: "now fails",
  added: "new check",
  removed: "check dropped",
};

function rankRows(rows: RankDiffRow[]): RankCompareRow[] {
  return rows.map((r) => ({
    feature: r.feature,
    cells: r.ranks.map((rank, i) => {
      const m = i === 0 ? null : r.moves[i] ?? null;
      return {
        rank: rank === null ? "not used" : `#${rank}`,
        value: fmtValue(r.values[i] ?? null),
        move: i === 0 ? null : m === null ? (rank === null ? "dropped" : r.ranks[i - 1] === null ? "new" : null) : m === 0 ? "same rank" : m > 0 ? `up ${m}` : `down ${-m}`,
        moved: m === null ? null : m > 0 ? "up" : m < 0 ? "down" : "same",
      };
    }),
  }));
}

export function compareViewModel(items: readonly CompareItem[]): CompareViewModel {
  const reports = items.map((i) => i.report);
  const diff = diffReportsOrThrow(reports);
  const rows = diff.metrics;
  const perfIds = PERFORMANCE_METRIC_IDS as readonly string[];
  const robustIds = new Set(ROBUSTNESS_METRIC_IDS);

  const sections: CompareSection[] = [];
  sections.push(section("performance", "Performance", rows.filter((r) => r.attribute === undefined && r.feature === undefined && r.epsilon === undefined && perfIds.includes(r.id)), false));
  const attributes: string[] = [];
  for (const r of reports) for (const a of r.sections.fairness?.attributes ?? []) if (!attributes.includes(a.attribute)) attributes.push(a.attribute);
  for (const attribute of attributes) {
    const fair = rows.filter((r) => r.attribute === attribute && !robustIds.has(r.id));
    sections.push(section(`fairness-${attribute}`, `Fairness · ${attribute}: comparisons between groups`, fair.filter((r) => r.group === undefined), false));
    sections.push(section(`groups-${attribute}`, `Fairness · ${attribute}: every group's rates and disparities`, fair.filter((r) => r.group !== undefined), true));
  }
  const robust = rows.filter((r) => robustIds.has(r.id));
  sections.push(section("robustness", "Robustness", robust.filter((r) => r.attribute === undefined), false));
  sections.push(section("robustness-groups", "Robustness · groups: flip rates and disparities", robust.filter((r) => r.attribute !== undefined), true));
  sections.push(section("explanations", "Explanations · feature importance", rows.filter((r) => r.feature !== undefined), true));

  const policy = diff.policy.map((p) => ({
    key: p.key,
    label: glossaryEntry(p.metric).label,
    qualifier: metricQualifier({ attribute: p.attribute, group: p.group, feature: p.feature, epsilon: p.epsilon }),
    requirement: fmtRequirement(p.min, p.max),
    cells: p.statuses.map((status, i) => ({ status, value: status === "absent" ? "—" : fmtValue(p.values[i] ?? null), note: p.notes[i] ?? null })),
    transition: p.overall,
    transitionText: TRANSITION_TEXT[p.overall],
    transitionStatus: p.overall === "fixed" ? ("pass" as const) : p.overall === "regressed" ? ("fail" as const) : ("neutral" as const),
  }));

  // trend options: the policy checks' values first, then the overall numbers
  const options: TrendOption[] = [];
  const data: Array<Record<string, number | string | null>> = items.map((it) => ({ version: it.label }));
  diff.policy.forEach((p, k) => {
    const key = `p${k}`;
    const q = metricQualifier({ attribute: p.attribute, group: p.group, feature: p.feature, epsilon: p.epsilon });
    options.push({ key, label: `${glossaryEntry(p.metric).label}${q ? ` · ${q}` : ""} (policy check)` });
    p.values.forEach((v, i) => (data[i]![key] = v));
  });
  rows
    .filter((r) => r.group === undefined && r.feature === undefined)
    .forEach((r, k) => {
      const key = `m${k}`;
      options.push({ key, label: metricTitle(r) });
      r.values.forEach((v, i) => (data[i]![key] = v));
    });
  const defaults = options.filter((o) => o.key.startsWith("p")).slice(0, 4).map((o) => o.key);
  if (defaults.length === 0) defaults.push(...options.slice(0, 2).map((o) => o.key));

  return {
    labels: items.map((i) => i.label),
    datasetWarning: diff.sameDataset ? null : `These reports were run on different datasets (SHA-256 ${[...new Set(diff.datasets)].map((d) => d.slice(0, 12)).join(", ")}); differences mix model changes with data changes.`,
    verdicts: items.map((it) => {
      const p = it.report.policy;
      const failed = p.filter((x) => !x.pass).length;
      return {
        label: it.label,
        status: p.length === 0 ? "none" : failed ? "fail" : "pass",
        text: p.length === 0 ? "no policy checks" : failed ? `failed ${failed} of ${p.length} checks` : `passed all ${p.length} checks`,
      };
    }),
    sections: sections.filter((s) => s.rows.length > 0),
    policy,
    shapRanks: rankRows(diff.shapRanks),
    importanceRanks: rankRows(diff.importanceRanks),
    trend: { options, defaults, data },
  };
}

