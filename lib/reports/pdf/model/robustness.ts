// The robustness section's threat model in words (what may move, by how much, what may not and
// why) and the per-group table of flip rates at every budget ε, next to the dashboard's views
// (lib/views/robustness.ts).

import type { RobustnessSection } from "../../../report/types";
import { fmtCount, fmtPlain, fmtValue } from "../../../views/format";
import { listText } from "./text";

export interface ThreatSummary {
  movable: string;
  fixed: string[];
  budget: string;
}

export function threatSummary(rob: RobustnessSection): ThreatSummary {
  const movable = rob.threatModel.filter((t) => t.mutable).map((t) => t.feature);
  const reasons = new Map<string, string[]>();
  for (const t of rob.threatModel) {
    if (t.mutable) continue;
    const why = t.reason ?? "fixed";
    reasons.set(why, [...(reasons.get(why) ?? []), t.feature]);
  }
  const norm = rob.norm === "linf" ? "each changeable input separately (L∞)" : "all changeable inputs together (L2 length)";
  return {
    movable: movable.length === 0 ? "No input may move under this threat model, so no decision can flip." : `May move: ${listText(movable)}.`,
    fixed: [...reasons.entries()].map(([why, features]) => `Fixed (${why}): ${listText(features)}.`),
    budget: `A budget ε limits ${norm} to ε standard deviations of that input (σ below), within the range seen in the data; whole-number inputs are rounded${rob.categorical === "free" ? "; categorical inputs may switch to another valid category" : "; categorical inputs keep their value"}. Budgets tested: ${rob.epsilons.map((e) => fmtPlain(e)).join(", ")}.`,
  };
}

export interface GroupFlipTable {
  attribute: string;
  epsilons: string[];
  rows: Array<{ group: string; n: string; small: boolean; flipRates: string[]; medianMinEpsilon: string }>;
  disparity: string[];
}

export function groupFlipTables(rob: RobustnessSection): GroupFlipTable[] {
  return rob.attributes.map((a) => ({
    attribute: a.attribute,
    epsilons: rob.epsilons.map((e) => `ε = ${fmtPlain(e)}`),
    rows: a.groups.map((g) => ({
      group: g.group,
      n: fmtCount(g.n),
      small: g.small,
      flipRates: rob.epsilons.map((_, e) => fmtValue(g.flipRates[e] ?? null)),
      medianMinEpsilon: fmtValue(g.minEpsilon.median),
    })),
    disparity: rob.epsilons.map((_, e) => fmtValue(a.disparity[e] ?? null)),
  }));
}
