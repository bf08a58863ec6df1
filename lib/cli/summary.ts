// Renders a report as a readable terminal summary: groups table per attribute, disparities,
// warnings and the policy results in colour. Only renders: every number comes from the report.

import type { AttributeReport, Report } from "../report/types";
import { positiveDecisionOf } from "../report/disadvantage";
import { reportDisadvantageLines } from "../views/disadvantage";
import { confidenceLabel, primaryErrorRate, type PositiveDecision } from "../vocabulary";
import { shapMethodText } from "../views/explanations";

export interface SummaryOptions {
  color: boolean;
  /** Max warnings listed before "… and N more". */
  maxWarnings?: number;
}

/** Group table columns; under harm the favourable rate joins, and the error rate of being wrongly
 *  given the adverse decision comes first. */
function groupColumns(pd: PositiveDecision): Array<[string, string]> {
  return pd === "harm"
    ? [
        ["selection_rate", "select"],
        ["favorable_rate", "favour"],
        ["base_rate", "base"],
        ["fpr", "FPR"],
        ["tpr", "TPR"],
        ["ppv", "PPV"],
        ["accuracy", "acc"],
      ]
    : [
        ["selection_rate", "select"],
        ["base_rate", "base"],
        ["fnr", "FNR"],
        ["tpr", "TPR"],
        ["fpr", "FPR"],
        ["ppv", "PPV"],
        ["accuracy", "acc"],
      ];
}

const AGGREGATES_SHOWN = [
  "demographic_parity_difference",
  "demographic_parity_ratio",
  "equalized_odds_difference",
  "equalized_odds_ratio",
  "equal_opportunity_difference",
  "predictive_parity_difference",
];

export function renderSummary(report: Report, opts: SummaryOptions): string {
  const c = colors(opts.color);
  const out: string[] = [];
  const ds = report.dataset;
  out.push(c.bold(report.spec.name));
  out.push(
    `${c.dim("dataset")}  ${ds.path} · ${fmtInt(ds.rows)} rows · sha256 ${ds.sha256.slice(0, 12)}… · label ${ds.label.column} = ${JSON.stringify(ds.label.positive)} (${fmtInt(ds.label.positives)} positive, ${fmtInt(ds.label.negatives)} negative)`,
  );
  const m = report.model;
  out.push(`${c.dim("model")}    ${m.kind === "score" ? `score column "${m.scoreColumn}"` : `${m.path} (${m.inputs} inputs, ${m.outputType})`} · ${report.decision.rule}`);
  out.push(`${c.dim("engine")}   assay ${report.engine.version} · backend ${report.engine.backend}${report.dataset.weight ? ` · weighted by ${report.dataset.weight.column}` : ""}`);

  const perf = report.sections.performance;
  if (perf) {
    out.push("", c.bold("Performance"));
    const cells = Object.entries(perf.metrics).map(([id, v]) => `${id} ${fmt(v.value)}${v.ci ? c.dim(` [${fmt(v.ci[0])}, ${fmt(v.ci[1])}]`) : ""}`);
    for (let i = 0; i < cells.length; i += 3) out.push(`  ${cells.slice(i, i + 3).join("   ")}`);
    const k = perf.confusion;
    out.push(`  ${c.dim("confusion")} TP ${fmtNum(k.tp)}  FP ${fmtNum(k.fp)}  TN ${fmtNum(k.tn)}  FN ${fmtNum(k.fn)}`);
  }

  const fair = report.sections.fairness;
  if (fair) {
    const pd = positiveDecisionOf(report);
    for (const a of fair.attributes) out.push("", ...renderAttribute(a, fair.tau, c, pd));
    out.push(
      c.dim(`  intervals: ${confidenceLabel(fair.bootstrap.confidence)} ${fair.bootstrap.method}, ${fmtInt(fair.bootstrap.resamples)} resamples, seed ${fair.bootstrap.seed}`),
    );
    const who = reportDisadvantageLines(report);
    if (who.length) {
      out.push("", c.bold("Who is disadvantaged") + c.dim(` · a positive prediction is ${pd === "harm" ? "harm for the person (flagged, high risk)" : "a benefit for the person (selected, approved)"}`));
      for (const l of who) out.push(`  ${l.text}`);
    }
  }

  const pi = report.sections.permutationImportance;
  if (pi) {
    out.push("", c.bold("Permutation importance") + c.dim(` · ${pi.direction} · ${pi.repeats} repeats · ${fmtInt(pi.rows)} rows${pi.subsampled ? " per repeat (subsample)" : ""}`));
    out.push(...bars(pi.features.map((f) => ({ name: f.feature, value: f.mean, err: f.std })), c, "± std"));
  }
  const shap = report.sections.shap;
  if (shap) {
    out.push(
      "",
      c.bold("SHAP · mean |φ|") +
        c.dim(` · ${shapMethodText(shap)} · ${fmtInt(shap.explained.rows)} rows · background ${fmtInt(shap.background.rows)} rows (${shap.background.method}) · base value ${fmt(shap.baseValue)}`),
    );
    out.push(...bars(shap.global.map((g) => ({ name: g.feature, value: g.meanAbs, err: 1.96 * g.se })), c, "± 1.96 SE over rows"));
    const rate = shap.method === "tree" ? "tree × background walks/s" : "model rows/s";
    out.push(c.dim(`  max additivity error ${shap.maxAdditivityError.toExponential(1)} · ${fmtInt(shap.evaluationsPerSecond)} ${rate} on ${shap.threads} thread${shap.threads === 1 ? "" : "s"}`));
  }

  const rob = report.sections.robustness;
  if (rob) {
    const how = `${rob.attack.toUpperCase()} ${rob.norm === "linf" ? "L∞" : "L2"}${rob.attack === "pgd" ? `, ${rob.steps} steps × ${rob.restarts} restart${rob.restarts === 1 ? "" : "s"}` : ""}${rob.queries !== null ? `, ${fmtInt(rob.queries)} queries per row` : ""}${rob.gradientSource ? `, gradients: ${rob.gradientSource}` : ""}`;
    out.push("", c.bold("Robustness") + c.dim(` · ${how} · ${fmtInt(rob.rows)} rows · ε in standard deviations · categorical ${rob.categorical}`));
    const frozen = rob.threatModel.filter((f) => !f.mutable).map((f) => f.feature);
    if (frozen.length) out.push(c.dim(`  cannot move: ${frozen.join(", ")}`));
    out.push(c.dim(`  ${"ε".padEnd(8)} ${"flip rate".padStart(10)} ${"robust acc".padStart(11)} ${"adv acc".padStart(8)}`));
    for (const o of rob.overall) out.push(`  ${fmt(o.epsilon).padEnd(8)} ${fmt(o.flipRate).padStart(10)} ${fmt(o.robustAccuracy).padStart(11)} ${fmt(o.adversarialAccuracy).padStart(8)}`);
    const me = rob.minEpsilon;
    out.push(`  minimal ε over ${fmtInt(me.flipped)} flipped rows${rob.upperBound ? " (upper bound)" : ""}: median ${fmt(me.median)}, mean ${fmt(me.mean)}`);
    for (const a of rob.attributes) {
      const last = rob.epsilons.length - 1;
      const byGroup = a.groups.map((g) => `${g.group} ${fmt(g.flipRates[last] ?? null)}`).join(" · ");
      out.push(`  ${a.attribute}: flip rate at ε ${fmt(rob.epsilons[last]!)}: ${truncate(byGroup, 100)} · disparity ${fmt(a.disparity[last] ?? null)}`);
    }
  }

  if (report.warnings.length) {
    const max = opts.maxWarnings ?? 12;
    out.push("", c.bold(`Warnings (${report.warnings.length})`));
    for (const w of report.warnings.slice(0, max)) out.push(`  ${c.yellow("!")} ${w.message}`);
    if (report.warnings.length > max) out.push(c.dim(`  … and ${report.warnings.length - max} more in report.json`));
  }

  out.push("", c.bold("Policy"));
  if (report.policy.length === 0) out.push(c.dim("  no policy checks in the spec"));
  for (const p of report.policy) {
    const bound = [p.min !== undefined ? `≥ ${p.min}` : "", p.max !== undefined ? `≤ ${p.max}` : ""].filter(Boolean).join(" and ");
    const where = p.attribute ? ` (${p.attribute}${p.group ? ` = ${p.group}` : ""})` : "";
    const mark = p.pass ? c.green("✔ PASS") : c.red("✘ FAIL");
    out.push(`  ${mark} ${p.metric}${where} = ${fmt(p.value)}, required ${bound}${p.note ? c.dim(` · ${p.note}`) : ""}`);
  }
  const failed = report.policy.filter((p) => !p.pass).length;
  out.push(
    "",
    report.passed
      ? c.green(c.bold(`PASSED`)) + ` · ${report.policy.length} check${report.policy.length === 1 ? "" : "s"}`
      : c.red(c.bold(`FAILED`)) + ` · ${failed} of ${report.policy.length} check${report.policy.length === 1 ? "" : "s"} failed`,
  );
  return out.join("\n");
}

function renderAttribute(a: AttributeReport, tau: number, c: Colors, pd: PositiveDecision): string[] {
  const GROUP_COLUMNS = groupColumns(pd);
  const err = primaryErrorRate(pd);
  const lines: string[] = [];
  const ref = a.reference.group ? ` · reference ${a.reference.group} (${a.reference.source === "spec" ? "from the spec" : "largest group"})` : "";
  lines.push(c.bold(`Fairness · ${a.attribute}`) + c.dim(ref));
  const nameWidth = Math.min(48, Math.max(5, ...a.groups.map((g) => g.group.length + 2)));
  const header = ["group".padEnd(nameWidth), "n".padStart(8), ...GROUP_COLUMNS.map(([, h]) => h.padStart(7)), "impact".padStart(7), `${err.toUpperCase()} disp`.padStart(9)];
  lines.push(c.dim(`  ${header.join(" ")}`));
  for (const g of a.groups) {
    const flags = (g.excluded ? " ⊘" : g.small ? " *" : "") + (g.reference ? " ◆" : "");
    const name = (truncate(g.group, nameWidth - flags.length) + flags).padEnd(nameWidth);
    const cols = GROUP_COLUMNS.map(([id]) => fmt(g.rates[id]?.value ?? null).padStart(7));
    const ir = g.impactRatio.value;
    const irText = fmt(ir).padStart(7);
    const fprDisp = g.disparities[err];
    const dText = fmt(fprDisp?.value ?? null).padStart(9);
    lines.push(
      `  ${g.excluded ? c.dim(name) : name} ${fmtInt(g.n).padStart(8)} ${cols.join(" ")} ${ir !== null && ir < 0.8 ? c.red(irText) : irText} ${fprDisp?.pass === false ? c.red(dText) : dText}`,
    );
  }
  const legend = [a.groups.some((g) => g.small && !g.excluded) ? "* n < 30" : "", a.groups.some((g) => g.excluded) ? "⊘ excluded (min_group_size / min_group_share)" : "", "◆ reference", `disparity fails outside [${fmt(tau)}, ${fmt(1 / tau)}]`].filter(Boolean);
  lines.push(c.dim(`  ${legend.join(" · ")}`));
  const agg = AGGREGATES_SHOWN.map((id) => {
    const v = a.aggregates[id];
    if (!v) return "";
    return `${id} ${fmt(v.value)}${v.ci ? c.dim(` [${fmt(v.ci[0])}, ${fmt(v.ci[1])}]`) : ""}`;
  }).filter(Boolean);
  for (let i = 0; i < agg.length; i += 2) lines.push(`  ${agg.slice(i, i + 2).join("   ")}`);
  return lines;
}

/** Top features as text bars, longest first, with an error bar drawn as ├──┤ around the tip. */
function bars(items: Array<{ name: string; value: number; err: number }>, c: Colors, errLabel: string, top = 10): string[] {
  const sorted = [...items].sort((a, b) => b.value - a.value).slice(0, top);
  const max = Math.max(1e-12, ...sorted.map((i) => i.value + i.err));
  const width = 32;
  const nameWidth = Math.min(28, Math.max(...sorted.map((i) => i.name.length)));
  const lines = sorted.map((i) => {
    const cells = Array.from({ length: width }, () => " ");
    const len = Math.max(0, Math.round((Math.max(0, i.value) / max) * width));
    for (let k = 0; k < len; k++) cells[k] = "█";
    const lo = Math.max(0, Math.round(((i.value - i.err) / max) * width));
    const hi = Math.min(width - 1, Math.round(((i.value + i.err) / max) * width));
    if (hi > lo) {
      for (let k = lo; k <= hi; k++) if (cells[k] === " ") cells[k] = "─";
      cells[lo] = cells[lo] === "█" ? "█" : "├";
      cells[hi] = "┤";
    }
    return `  ${truncate(i.name, nameWidth).padEnd(nameWidth)} ${cells.join("")} ${fmt(i.value)} ${c.dim(`± ${fmt(i.err)}`)}`;
  });
  if (items.length > top) lines.push(c.dim(`  … ${items.length - top} more in report.json`));
  lines.push(c.dim(`  (bars: mean; whiskers ${errLabel})`));
  return lines;
}

type Colors = ReturnType<typeof colors>;

function colors(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap("1"), dim: wrap("2"), red: wrap("31"), green: wrap("32"), yellow: wrap("33") };
}

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isInteger(v) && Math.abs(v) >= 1000) return fmtInt(v);
  return v.toFixed(Math.abs(v) >= 100 ? 1 : 4).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

function fmtNum(v: number): string {
  return Number.isInteger(v) ? fmtInt(v) : v.toFixed(2);
}

function fmtInt(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}
