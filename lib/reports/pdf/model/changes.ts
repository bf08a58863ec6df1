// "Changes against the previous audited version" (executive summary): policy status changes,
// how many of all shared metrics moved which way (the headline numbers with their change come
// from lib/views/summary.ts), and feature rank changes by mean |SHAP| and permutation
// importance. Built on lib/report/diff.ts, partly via lib/views/compare.ts.

import { diffPolicies, type PolicyTransition } from "../../../report/diff";
import { glossaryEntry } from "../../../report/glossary";
import type { Report } from "../../../report/types";
import { compareViewModel, type RankCompareRow } from "../../../views/compare";
import { fmtValue } from "../../../views/format";
import { appliesTo, boundText } from "./text";

export interface PolicyChangeRow {
  label: string;
  appliesTo: string;
  bound: string;
  before: string;
  after: string;
  /** "now passes", "now fails", "no change", "new check", "check dropped" */
  change: string;
  status: "pass" | "fail" | "neutral";
}

export interface RankCell {
  before: string;
  after: string;
  /** "up 1", "down 2", "same rank", "new", "dropped", or "—" when neither version ranks it. */
  move: string;
}

/** One feature's rank by mean |SHAP| and by permutation importance in both versions. */
export interface RankChangeRow {
  feature: string;
  shap: RankCell;
  importance: RankCell;
}

export interface ChangesModel {
  previousLabel: string;
  currentLabel: string;
  /** A sentence: same dataset or not, with the hashes' first characters. */
  datasetNote: string;
  policy: PolicyChangeRow[];
  /** "Of 412 numbers measured in both versions, 57 are better, 61 worse and 294 unchanged or without a direction." */
  tally: string;
  /** Features whose rank moved in either ranking, by their current SHAP rank (then importance rank). */
  ranks: RankChangeRow[];
}

function statusWord(s: "pass" | "fail" | "absent", value: number | null): string {
  return s === "absent" ? "not checked" : `${fmtValue(value)} ${s === "pass" ? "PASS" : "FAIL"}`;
}

const TRANSITION_TEXT: Record<PolicyTransition, string> = {
  unchanged: "no change",
  fixed: "now passes",
  regressed: "now fails",
  added: "new check",
  removed: "check dropped",
};

const NO_RANK: RankCell = { before: "—", after: "—", move: "—" };

function rankCell(r: RankCompareRow | undefined): RankCell {
  if (!r) return NO_RANK;
  return { before: r.cells[0]?.rank ?? "—", after: r.cells[1]?.rank ?? "—", move: r.cells[1]?.move ?? "—" };
}

/** Features whose rank changed by either measure; both rankings side by side. */
export function rankChanges(shap: RankCompareRow[], importance: RankCompareRow[]): RankChangeRow[] {
  const features: string[] = [];
  for (const r of [...shap, ...importance]) if (!features.includes(r.feature)) features.push(r.feature);
  return features
    .map((feature) => ({ feature, shap: rankCell(shap.find((r) => r.feature === feature)), importance: rankCell(importance.find((r) => r.feature === feature)) }))
    .filter((r) => [r.shap.move, r.importance.move].some((m) => m !== "same rank" && m !== "—"));
}

export function changesModel(report: Report, previous: { version: string; report: Report }, currentLabel: string): ChangesModel {
  const vm = compareViewModel([
    { label: previous.version, report: previous.report },
    { label: currentLabel, report },
  ]);
  let better = 0;
  let worse = 0;
  let shared = 0;
  for (const s of vm.sections) {
    for (const r of s.rows) {
      if (r.cells.some((c) => c.text === "not measured")) continue;
      shared++;
      if (r.overall.change === "better") better++;
      if (r.overall.change === "worse") worse++;
    }
  }
  const prev = previous.report.dataset.sha256;
  const cur = report.dataset.sha256;
  return {
    previousLabel: previous.version,
    currentLabel,
    datasetNote:
      prev === cur
        ? `Both versions were audited on the same dataset (SHA-256 ${cur.slice(0, 12)}…), so the differences come from the model and the audit settings.`
        : `The versions were audited on different datasets (SHA-256 ${prev.slice(0, 12)}… and ${cur.slice(0, 12)}…): differences mix model changes with data changes.`,
    policy: diffPolicies([previous.report.policy, report.policy]).map((p) => ({
      label: glossaryEntry(p.metric).label,
      appliesTo: appliesTo(p),
      bound: boundText(p.min, p.max),
      before: statusWord(p.statuses[0]!, p.values[0] ?? null),
      after: statusWord(p.statuses[1]!, p.values[1] ?? null),
      change: TRANSITION_TEXT[p.overall],
      status: p.overall === "fixed" ? "pass" : p.overall === "regressed" ? "fail" : "neutral",
    })),
    tally: `Of ${shared.toLocaleString("en-US")} numbers measured in both versions, ${better.toLocaleString("en-US")} are better, ${worse.toLocaleString("en-US")} are worse and ${(shared - better - worse).toLocaleString("en-US")} are unchanged or have no better direction (group sizes, base rates, importances).`,
    ranks: rankChanges(vm.shapRanks, vm.importanceRanks),
  };
}
