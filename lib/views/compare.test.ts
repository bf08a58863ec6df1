import { loadFixture } from "./testing/fixtures";
import { compareViewModel } from "./compare";

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");
const vm = compareViewModel([
  { label: "v1", report: v1 },
  { label: "v2", report: v2 },
]);

test("verdicts per version", () => {
  expect(vm.verdicts).toEqual([
    { label: "v1", status: "fail", text: "failed 2 of 6 checks" },
    { label: "v2", status: "fail", text: "failed 1 of 6 checks" },
  ]);
  expect(vm.datasetWarning).toBeNull();
});

test("sections: performance first, then each attribute, robustness and explanations", () => {
  expect(vm.sections.map((s) => s.id)).toEqual([
    "performance",
    "fairness-gender",
    "groups-gender",
    "fairness-race",
    "groups-race",
    "fairness-gender & race",
    "groups-gender & race",
    "robustness",
    "robustness-groups",
    "explanations",
  ]);
  const perf = vm.sections[0]!;
  const auc = perf.rows.find((r) => r.label === "ROC AUC")!;
  expect(auc.cells[0]).toEqual({ text: "0.932", delta: null, change: null });
  expect(auc.cells[1]).toEqual({ text: "0.888", delta: "\u22120.045", change: "worse" });
  // every row is in exactly one section
  expect(vm.sections.reduce((s, x) => s + x.rows.length, 0)).toBe(new Set([...v1.metrics, ...v2.metrics].map((m) => JSON.stringify([m.id, m.attribute, m.group, m.feature, m.epsilon]))).size);
});

test("metrics missing from a version say so", () => {
  const shapGender = vm.sections.find((s) => s.id === "explanations")!.rows.find((r) => r.label === "Mean |SHAP|" && r.qualifier === "feature gender")!;
  expect(shapGender.cells[1]).toEqual({ text: "not measured", delta: "—", change: "n/a" });
});

test("policy status changes", () => {
  const ir = vm.policy.find((p) => p.label === "Impact ratio")!;
  expect(ir.cells.map((c) => c.status)).toEqual(["fail", "pass"]);
  expect(ir.transitionText).toBe("now passes");
  expect(ir.transitionStatus).toBe("pass");
  expect(ir.requirement).toBe("at least 0.8");
});

test("SHAP rank changes", () => {
  const gender = vm.shapRanks.find((r) => r.feature === "gender")!;
  expect(gender.cells[1]).toEqual({ rank: "not used", value: "—", move: "dropped", moved: null });
  const edu = vm.shapRanks.find((r) => r.feature === "education")!;
  expect(edu.cells[0]!.rank).toBe("#2");
});

test("trend series: one row per version, the policy checks by default", () => {
  expect(vm.trend.data.map((d) => d.version)).toEqual(["v1", "v2"]);
  expect(vm.trend.defaults).toEqual(["p0", "p1", "p2", "p3"]);
  expect(vm.trend.data[0]!.p0).toBe(v1.policy[0]!.value);
  expect(vm.trend.data[1]!.p1).toBe(v2.policy[1]!.value);
  const auc = vm.trend.options.find((o) => o.label === "ROC AUC")!;
  expect(vm.trend.data[1]![auc.key]).toBe(v2.sections.performance!.metrics.roc_auc!.value);
});

test("different datasets are called out", () => {
  const other = { ...v2, dataset: { ...v2.dataset, sha256: "f".repeat(64) } };
  expect(compareViewModel([{ label: "a", report: v1 }, { label: "b", report: other }]).datasetWarning).toMatch(/different datasets/);
});
