// The policy table of the executive summary: one row per check of the audit spec, in spec
// order, with the metric, where it applies, the bound, the measured value and PASS or FAIL.

import { glossaryEntry } from "../../../report/glossary";
import type { PolicyResult, Report } from "../../../report/types";
import { fmtValue } from "../../../views/format";
import { appliesTo, boundText } from "./text";

export interface PolicyRow {
  index: number;
  metric: string;
  label: string;
  appliesTo: string;
  bound: string;
  value: string;
  status: "PASS" | "FAIL";
  note: string | null;
}

export function policyAddress(p: PolicyResult) {
  return {
    ...(p.attribute !== undefined ? { attribute: p.attribute } : {}),
    ...(p.group !== undefined ? { group: p.group } : {}),
    ...(p.feature !== undefined ? { feature: p.feature } : {}),
    ...(p.epsilon !== undefined ? { epsilon: p.epsilon } : {}),
  };
}

export function policyRows(report: Report): PolicyRow[] {
  return report.policy.map((p, i) => ({
    index: i + 1,
    metric: p.metric,
    label: glossaryEntry(p.metric).label,
    appliesTo: appliesTo(policyAddress(p)),
    bound: boundText(p.min, p.max),
    value: fmtValue(p.value),
    status: p.pass ? "PASS" : "FAIL",
    note: p.note ?? (p.value === null ? "no value could be computed" : null),
  }));
}
