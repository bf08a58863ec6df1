// The Robustness tab: flip rate and robust accuracy against the attack budget ε, per-group flip
// rates and the robustness disparity per attribute, the threat model (what may move, by how
// much, and why not), the minimal-ε summary ("upper bound" for gradient-free attacks) and the
// most fragile rows with the changes that flipped them.

import type { FairnessSection, MinEpsilonStats, RobustnessSection } from "../report/types";
import { fmtCount, fmtPercent, fmtPlain, fmtValue } from "./format";
import { groupColor } from "./palette";

export interface EpsilonPoint {
  epsilon: number;
  flipRate: number;
  robustAccuracy: number;
  adversarialAccuracy: number | null;
}

export interface OverallView {
  points: EpsilonPoint[];
  cleanAccuracy: number;
  cleanAccuracyText: string;
  rows: Array<{ epsilon: string; flipRate: string; flipped: string; robustAccuracy: string; adversarialAccuracy: string }>;
  attackText: string;
}

const ATTACKS: Record<RobustnessSection["attack"], string> = {
  fgsm: "FGSM (one gradient step)",
  pgd: "PGD (projected gradient descent)",
  random: "random-direction search (no gradients)",
  boundary: "decision-based boundary attack (no gradients)",
};

export function overallView(rob: RobustnessSection): OverallView {
  const steps = rob.attack === "pgd" ? `, ${rob.steps} steps × ${rob.restarts} restart${rob.restarts === 1 ? "" : "s"}` : "";
  const queries = rob.queries !== null ? `, ${fmtCount(rob.queries)} queries per row` : "";
  return {
    points: rob.overall.map((o) => ({ epsilon: o.epsilon, flipRate: o.flipRate, robustAccuracy: o.robustAccuracy, adversarialAccuracy: o.adversarialAccuracy })),
    cleanAccuracy: rob.cleanAccuracy,
    cleanAccuracyText: fmtValue(rob.cleanAccuracy),
    rows: rob.overall.map((o) => ({
      epsilon: fmtPlain(o.epsilon),
      flipRate: fmtValue(o.flipRate),
      flipped: `${fmtCount(o.flipped)} of ${fmtCount(rob.rows)}`,
      robustAccuracy: fmtValue(o.robustAccuracy),
      adversarialAccuracy: fmtValue(o.adversarialAccuracy),
    })),
    attackText: `${ATTACKS[rob.attack]}${steps}${queries}, ${rob.norm === "linf" ? "L∞" : "L2"} budget ε in standard deviations of each input, ${fmtCount(rob.rows)} rows attacked, categorical inputs ${rob.categorical === "frozen" ? "frozen" : "free to switch"}, seed ${rob.seed}.${rob.attack === "pgd" ? ` Step size: ${rob.stepSize}.` : ""}`,
  };
}

export interface GroupFlipView {
  attribute: string;
  /** Series keys are "g0", "g1", … so that group names never act as property paths. */
  series: Array<{ key: string; group: string; label: string; color: string; small: boolean; n: number }>;
  data: Array<Record<string, number | null> & { epsilon: number }>;
  disparity: Array<{ epsilon: number; value: number | null; text: string }>;
  smallGroups: string[];
}

/**
 * Per-attribute flip-rate series. Colours follow the group's position in the fairness section
 * when there is one, so a group has the same colour on every tab.
 */
export function groupFlipViews(rob: RobustnessSection, fairness?: FairnessSection): GroupFlipView[] {
  return rob.attributes.map((a) => {
    const order = fairness?.attributes.find((f) => f.attribute === a.attribute)?.groups.map((g) => g.group);
    const colorOf = (group: string, i: number) => {
      const k = order ? order.indexOf(group) : -1;
      return groupColor(k >= 0 ? k : i);
    };
    const series = a.groups.map((g, i) => ({ key: `g${i}`, group: g.group, label: g.small ? `${g.group} (small, n = ${g.n})` : `${g.group} (n = ${g.n})`, color: colorOf(g.group, i), small: g.small, n: g.n }));
    const data = rob.epsilons.map((epsilon, e) => {
      const row: Record<string, number | null> & { epsilon: number } = { epsilon };
      a.groups.forEach((g, i) => (row[`g${i}`] = g.flipRates[e] ?? null));
      return row;
    });
    return {
      attribute: a.attribute,
      series,
      data,
      disparity: rob.epsilons.map((epsilon, e) => ({ epsilon, value: a.disparity[e] ?? null, text: fmtValue(a.disparity[e] ?? null) })),
      smallGroups: a.groups.filter((g) => g.small).map((g) => g.group),
    };
  });
}

export interface ThreatRow {
  feature: string;
  kind: string;
  canMove: string;
  sigma: string;
  range: string;
  why: string;
}

export function threatRows(rob: RobustnessSection): ThreatRow[] {
  return rob.threatModel.map((t) => ({
    feature: t.feature,
    kind: t.kind,
    canMove: t.mutable ? "yes" : "no",
    sigma: t.sigma !== undefined ? fmtPlain(t.sigma, 3) : "—",
    range: t.min !== undefined && t.max !== undefined ? `${fmtPlain(t.min)} to ${fmtPlain(t.max)}` : "—",
    why: t.mutable ? (t.kind === "integer" ? "moves by at most ε·σ, rounded to whole numbers" : "moves by at most ε·σ within the observed range") : (t.reason ?? "fixed"),
  }));
}

export interface MinEpsilonView {
  headline: string;
  upperBound: boolean;
  stats: Array<{ label: string; value: string }>;
  groups: Array<{ attribute: string; group: string; n: string; flipped: string; median: string; small: boolean }>;
}

function statsOf(m: MinEpsilonStats): Array<{ label: string; value: string }> {
  return [
    { label: "Median", value: fmtValue(m.median) },
    { label: "Mean", value: fmtValue(m.mean) },
    { label: "Lower quartile", value: fmtValue(m.q1) },
    { label: "Upper quartile", value: fmtValue(m.q3) },
  ];
}

export function minEpsilonView(rob: RobustnessSection): MinEpsilonView {
  const m = rob.minEpsilon;
  const largest = rob.epsilons[rob.epsilons.length - 1];
  const bound = rob.upperBound ? " These are upper bounds: the gradient-free search may miss smaller changes that also flip a decision." : "";
  return {
    headline:
      m.flipped === 0
        ? `No attacked row flipped at any budget up to ε = ${fmtPlain(largest ?? 0)}.`
        : `${fmtCount(m.flipped)} of ${fmtCount(rob.rows)} attacked rows (${fmtPercent(m.flipped / rob.rows)}) flip at a budget of ε = ${fmtPlain(largest ?? 0)} or less; the smallest change that flips them is summarised below, in standard deviations.${bound}`,
    upperBound: rob.upperBound,
    stats: statsOf(m),
    groups: rob.attributes.flatMap((a) =>
      a.groups.map((g) => ({ attribute: a.attribute, group: g.group, n: fmtCount(g.n), flipped: fmtCount(g.minEpsilon.flipped), median: fmtValue(g.minEpsilon.median), small: g.small })),
    ),
  };
}

export interface FragileRow {
  row: number;
  line: number;
  groups: string;
  score: string;
  adversarialScore: string;
  minEpsilon: string;
  changes: string[];
}

function changeValue(v: number | string | null): string {
  return v === null ? "missing" : typeof v === "number" ? fmtPlain(v) : v;
}

export function fragileRows(rob: RobustnessSection): FragileRow[] {
  return [...rob.fragile]
    .sort((a, b) => a.minEpsilon - b.minEpsilon)
    .map((f) => ({
      row: f.row,
      line: f.line,
      groups: Object.entries(f.groups)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
      score: fmtValue(f.score),
      adversarialScore: fmtValue(f.adversarialScore),
      minEpsilon: fmtValue(f.minEpsilon),
      changes: f.changes.map((c) => `${c.feature}: ${changeValue(c.from)} → ${changeValue(c.to)}`),
    }));
}
