import type { RobustnessSection } from "../report/types";
import { loadFixture } from "./testing/fixtures";
import { GROUP_COLORS } from "./palette";
import { fragileRows, groupFlipViews, minEpsilonView, overallView, threatRows } from "./robustness";

const report = loadFixture("cps-v1");
const rob = report.sections.robustness!;

test("overall: one point per ε with the stored rates", () => {
  const v = overallView(rob);
  expect(v.points).toEqual(rob.overall.map((o) => ({ epsilon: o.epsilon, flipRate: o.flipRate, robustAccuracy: o.robustAccuracy, adversarialAccuracy: o.adversarialAccuracy })));
  expect(v.rows[1]).toEqual({ epsilon: "0.1", flipRate: "0.043", flipped: "23 of 534", robustAccuracy: "0.852", adversarialAccuracy: "0.962" });
  expect(v.cleanAccuracy).toBe(rob.cleanAccuracy);
  expect(v.attackText).toMatch(/^PGD \(projected gradient descent\), 20 steps × 1 restart, L∞ budget/);
  // where the attack deviates from METRICS.md (integer features step by whole units), the stored step size says so
  expect(v.attackText).toContain(" Step size: 2.5·ε/steps, and at least one whole unit for integer features (METRICS.md §5 has 2.5·ε/steps for every feature");
  expect(overallView({ ...rob, attack: "boundary" } as RobustnessSection).attackText).not.toContain("Step size");
});

test("per-group flip rates use safe series keys and flag small groups", () => {
  const race = groupFlipViews(rob).find((a) => a.attribute === "race")!;
  expect(race.series.map((s) => [s.key, s.group, s.small])).toEqual([
    ["g0", "hispanic", true],
    ["g1", "other", false],
    ["g2", "white", false],
  ]);
  expect(race.series[0]!.label).toBe("hispanic (small, n = 27)");
  const stored = rob.attributes.find((a) => a.attribute === "race")!;
  expect(race.data[3]).toEqual({ epsilon: 0.5, g0: stored.groups[0]!.flipRates[3], g1: stored.groups[1]!.flipRates[3], g2: stored.groups[2]!.flipRates[3] });
  expect(race.disparity.map((d) => d.value)).toEqual(stored.disparity);
});

test("group colours follow the fairness section's group order", () => {
  const fairness = structuredClone(report.sections.fairness!);
  fairness.attributes[1]!.groups.reverse(); // race: white, other, hispanic
  const race = groupFlipViews(rob, fairness).find((a) => a.attribute === "race")!;
  expect(race.series.map((s) => [s.group, s.color])).toEqual([
    ["hispanic", GROUP_COLORS[2]],
    ["other", GROUP_COLORS[1]],
    ["white", GROUP_COLORS[0]],
  ]);
  expect(groupFlipViews(rob)[1]!.series.map((s) => s.color)).toEqual(GROUP_COLORS.slice(0, 3));
});

test("threat model in words", () => {
  const t = threatRows(rob);
  expect(t[0]).toEqual({ feature: "education", kind: "integer", canMove: "yes", sigma: "2.613", range: "2 to 18", why: "moves by at most ε·σ, rounded to whole numbers" });
  expect(t.find((r) => r.feature === "gender")).toMatchObject({ canMove: "no", sigma: "—", why: "sensitive attribute" });
});

test("minimal ε: counts, stats and the upper-bound wording", () => {
  const v = minEpsilonView(rob);
  expect(v.headline).toBe("231 of 534 attacked rows (43.3%) flip at a budget of ε = 0.5 or less; the smallest change that flips them is summarised below, in standard deviations.");
  expect(v.stats[0]).toEqual({ label: "Median", value: "0.383" });
  const ub = minEpsilonView({ ...rob, upperBound: true } as RobustnessSection);
  expect(ub.upperBound).toBe(true);
  expect(ub.headline).toMatch(/These are upper bounds/);
  expect(minEpsilonView({ ...rob, minEpsilon: { flipped: 0, median: null, mean: null, q1: null, q3: null } }).headline).toBe("No attacked row flipped at any budget up to ε = 0.5.");
});

test("fragile rows, most fragile first, with their changes", () => {
  const f = fragileRows(rob);
  expect(f).toHaveLength(rob.fragile.length);
  // one more year of experience (σ ≈ 12.4 years): the smallest budget that allows one whole year is 1/12.4 ≈ 0.081
  expect(f[0]).toEqual({ row: 4, line: 6, groups: "gender male, race white", score: "0.492", adversarialScore: "0.516", minEpsilon: "0.081", changes: ["experience: 17 → 18"] });
  const sigma = rob.threatModel.find((t) => t.feature === "experience")!.sigma!;
  expect(Math.abs(rob.fragile[0]!.minEpsilon - 1 / sigma)).toBeLessThanOrEqual(rob.tolerance + 1e-9); // bisection to the tolerance
  for (let i = 1; i < f.length; i++) expect(Number(f[i]!.minEpsilon)).toBeGreaterThanOrEqual(Number(f[i - 1]!.minEpsilon));
});

test("every count of flipped rows agrees: the table at the largest ε, the minimal-ε summary, and the groups (CPS v1)", () => {
  const last = rob.overall[rob.overall.length - 1]!;
  // the engine counts a row flipped at ε when any budget up to ε flipped it: the largest ε's count
  // is the number of rows with a minimal ε
  expect(last.flipped).toBe(rob.minEpsilon.flipped);
  const table = overallView(rob).rows[rob.overall.length - 1]!;
  expect(table.flipped).toBe(`${last.flipped} of ${rob.rows}`);
  expect(minEpsilonView(rob).headline).toContain(`${last.flipped} of ${rob.rows} attacked rows`);
  // flip counts never fall as the budget grows
  for (let e = 1; e < rob.overall.length; e++) expect(rob.overall[e]!.flipped).toBeGreaterThanOrEqual(rob.overall[e - 1]!.flipped);
  // per group: flipped at the largest ε = rows with a minimal ε, in every group
  for (const a of rob.attributes) {
    for (const g of a.groups) expect(Math.round(g.flipRates[g.flipRates.length - 1]! * g.n)).toBe(g.minEpsilon.flipped);
  }
});
