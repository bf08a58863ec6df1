// The appendix: the audit spec as YAML (as stored in the report, defaults filled in), the
// parameters each analysis ran with, every seed, the software versions and the time each
// analysis took.

import { fmtTargetError } from "../../../views/explanations";
import { backendLabel } from "../../../views/summary";
import { stringify } from "yaml";
import type { Report } from "../../../report/types";
import { fmtCount, fmtDuration, fmtPlain } from "../../../views/format";

export interface AppendixRow {
  label: string;
  value: string;
}

export interface AppendixModel {
  specYaml: string;
  parameters: Array<{ analysis: string; rows: AppendixRow[] }>;
  seeds: AppendixRow[];
  software: AppendixRow[];
  timings: AppendixRow[];
}

/** Characters per line of the YAML listing (monospace, the page's width). */
export const YAML_LINE_WIDTH = 100;

export function specYaml(report: Report): string {
  return stringify(report.spec, { lineWidth: YAML_LINE_WIDTH }).trimEnd();
}

const ANALYSIS_NAMES: Record<string, string> = {
  load: "Loading data and model",
  scoring: "Scoring",
  performance: "Performance",
  fairness: "Fairness",
  threads: "Worker threads starting (after the above)",
  permutation_importance: "Permutation importance",
  shap: "SHAP explanations",
  robustness: "Robustness",
  total: "Total",
};

export function parameters(report: Report): AppendixModel["parameters"] {
  const s = report.sections;
  const out: AppendixModel["parameters"] = [
    {
      analysis: "Decision",
      rows: [
        { label: "Rule", value: report.decision.rule },
        { label: "Threshold", value: fmtPlain(report.decision.threshold) },
      ],
    },
  ];
  if (s.performance) {
    const b = s.performance.bootstrap;
    out.push({
      analysis: "Performance",
      rows: [
        { label: "Rows", value: fmtCount(s.performance.rows) },
        { label: "Bootstrap", value: b ? `${fmtCount(b.resamples)} resamples, ${fmtPlain(b.confidence * 100)}% intervals` : "none" },
        { label: "ROC AUC interval", value: s.performance.aucInterval?.method ?? "bootstrap" },
      ],
    });
  }
  if (s.fairness) {
    const f = s.fairness;
    out.push({
      analysis: "Fairness",
      rows: [
        { label: "Attributes", value: f.attributes.map((a) => a.attribute).join("; ") },
        { label: "Reference groups", value: f.attributes.map((a) => `${a.attribute}: ${a.reference.group ?? "none"} (${a.reference.source === "spec" ? "spec" : "largest"})`).join("; ") },
        { label: "τ (Aequitas)", value: fmtPlain(f.tau) },
        { label: "Minimum group size", value: f.minGroupSize > 0 ? fmtCount(f.minGroupSize) : "none" },
        { label: "Bootstrap", value: `${fmtCount(f.bootstrap.resamples)} resamples, ${fmtPlain(f.bootstrap.confidence * 100)}% intervals, ${f.bootstrap.method}` },
      ],
    });
  }
  if (s.permutationImportance) {
    const p = s.permutationImportance;
    out.push({
      analysis: "Permutation importance",
      rows: [
        { label: "Scoring", value: p.scoring },
        { label: "Repeats", value: fmtCount(p.repeats) },
        { label: "Rows per repeat", value: `${fmtCount(p.rows)}${p.subsampled ? " (subsample)" : ""}` },
      ],
    });
  }
  if (s.shap) {
    const h = s.shap;
    out.push({
      analysis: "SHAP explanations",
      rows: [
        {
          label: "Mode",
          value: h.target
            ? `${h.mode}, ${h.sampling} sampling to a target error of ${fmtTargetError(h.target.error)} (Σse²/Σφ² per row), ${fmtCount(h.target.coalitionsPerRow.min)}–${fmtCount(h.target.coalitionsPerRow.max)} coalitions per row in ${h.target.rounds} rounds (at most ${fmtCount(h.budget)})`
            : `${h.mode}, ${h.sampling} sampling, ${fmtCount(h.coalitions)} coalitions (budget ${fmtCount(h.budget)})`,
        },
        { label: "Link", value: h.link },
        { label: "Background", value: `${h.background.method}, ${fmtCount(h.background.rows)} rows${h.background.path ? ` (${h.background.path})` : ""}` },
        { label: "Explained rows", value: `${fmtCount(h.explained.rows)} (${h.explained.method})` },
      ],
    });
  }
  if (s.robustness) {
    const r = s.robustness;
    out.push({
      analysis: "Robustness",
      rows: [
        { label: "Attack", value: `${r.attack}, ${r.norm === "linf" ? "L∞" : "L2"} norm${r.attack === "pgd" ? `, ${r.steps} steps of ${r.stepSize}, ${r.restarts} restart${r.restarts === 1 ? "" : "s"}` : ""}${r.queries !== null ? `, ${fmtCount(r.queries)} queries per row` : ""}` },
        { label: "Budgets ε", value: r.epsilons.map((e) => fmtPlain(e)).join(", ") },
        { label: "Categorical inputs", value: r.categorical },
        { label: "Rows attacked", value: fmtCount(r.rows) },
        { label: "Minimal ε tolerance", value: fmtPlain(r.tolerance) },
      ],
    });
  }
  return out;
}

export function seeds(report: Report): AppendixRow[] {
  const s = report.sections;
  const out: AppendixRow[] = [];
  if (s.performance?.bootstrap) out.push({ label: "Performance bootstrap", value: fmtPlain(s.performance.bootstrap.seed) });
  if (s.fairness) out.push({ label: "Fairness bootstrap", value: fmtPlain(s.fairness.bootstrap.seed) });
  if (s.permutationImportance) out.push({ label: "Permutation importance", value: fmtPlain(s.permutationImportance.seed) });
  if (s.shap) out.push({ label: "SHAP (background and explained rows)", value: fmtPlain(s.shap.seed) });
  if (s.robustness) out.push({ label: "Robustness (rows and attack)", value: fmtPlain(s.robustness.seed) });
  return out;
}

export function software(report: Report, rendererVersion: string | null): AppendixRow[] {
  const e = report.engine;
  return [
    { label: "Engine", value: `${e.name} ${e.version}` },
    { label: "Metric definitions", value: `METRICS.md version ${report.definitions}` },
    { label: "Report schema", value: `version ${report.schemaVersion}` },
    { label: "TensorFlow.js", value: e.tfjsVersion ?? "not used (score column)" },
    { label: "Backend", value: backendLabel(e) },
    { label: "Node.js", value: e.node },
    ...(rendererVersion ? [{ label: "PDF renderer", value: `@react-pdf/renderer ${rendererVersion}` }] : []),
  ];
}

export function timings(report: Report): AppendixRow[] {
  return report.timings.map((t) => ({ label: ANALYSIS_NAMES[t.analysis] ?? t.analysis, value: fmtDuration(t.ms) }));
}

export function appendixModel(report: Report, rendererVersion: string | null): AppendixModel {
  return { specYaml: specYaml(report), parameters: parameters(report), seeds: seeds(report), software: software(report, rendererVersion), timings: timings(report) };
}
