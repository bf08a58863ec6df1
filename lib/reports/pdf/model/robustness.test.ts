import type { RobustnessSection } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { groupFlipTables, threatSummary } from "./robustness";

const rob = loadFixture("cps-v1").sections.robustness!;

describe("threatSummary", () => {
  test("what may move, what is fixed and why, and the budgets", () => {
    const t = threatSummary(rob);
    const movable = rob.threatModel.filter((f) => f.mutable).map((f) => f.feature);
    expect(t.movable).toBe(`May move: ${movable.slice(0, -1).join(", ")} and ${movable.at(-1)}.`);
    expect(t.fixed).toContain("Fixed (sensitive attribute): gender and race.");
    expect(t.budget).toContain("L∞");
    expect(t.budget).toContain(`Budgets tested: ${rob.epsilons.join(", ")}.`);
  });
  test("nothing movable", () => {
    const none: RobustnessSection = { ...rob, threatModel: rob.threatModel.map((f) => ({ ...f, mutable: false, reason: f.reason ?? "listed as immutable" })) };
    expect(threatSummary(none).movable).toMatch(/^No input may move/);
  });
});

describe("groupFlipTables", () => {
  test("a row per group with n and the flip rate at every ε, plus the disparity", () => {
    const tables = groupFlipTables(rob);
    expect(tables.map((t) => t.attribute)).toEqual(rob.attributes.map((a) => a.attribute));
    tables.forEach((t, i) => {
      const a = rob.attributes[i]!;
      expect(t.epsilons).toEqual(rob.epsilons.map((e) => `ε = ${e}`));
      expect(t.rows.map((r) => r.group)).toEqual(a.groups.map((g) => g.group));
      expect(t.rows.map((r) => r.n)).toEqual(a.groups.map((g) => g.n.toLocaleString("en-US")));
      expect(t.rows.map((r) => r.flipRates)).toEqual(a.groups.map((g) => g.flipRates.map((f) => f.toFixed(3))));
      expect(t.disparity).toEqual(a.disparity.map((d) => (d === null ? "—" : d.toFixed(3))));
    });
  });
});
