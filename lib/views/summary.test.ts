import type { Report } from "../report/types";
import { loadFixture } from "./testing/fixtures";
import { groupWarnings, headlineAddresses, headlineIntervalText, headlineIntervalTitle, headlineMetrics, policyCards, provenance, verdictOf } from "./summary";
import { fairnessView } from "./fairness";
import { buildPdfModel } from "../reports/pdf/model/document-model";

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");
const compas = loadFixture("compas");

describe("verdict", () => {
  test("cps v1 fails 2 of 6 checks and names them", () => {
    const v = verdictOf(v1);
    expect(v.status).toBe("fail");
    expect(v.detail).toBe("2 of 6 policy checks fail: Impact ratio (gender); Demographic parity ratio (race).");
  });
  test("all checks pass", () => {
    const passing: Report = { ...v1, policy: v1.policy.filter((p) => p.pass), passed: true };
    expect(verdictOf(passing)).toMatchObject({ status: "pass", detail: "All 4 policy checks pass." });
  });
  test("no policy", () => {
    expect(verdictOf({ ...v1, policy: [] }).status).toBe("none");
  });
});

describe("policy cards", () => {
  test("one card per check with requirement, value, meaning and note", () => {
    const cards = policyCards(v1);
    expect(cards).toHaveLength(v1.policy.length);
    const ir = cards[1]!;
    expect(ir).toMatchObject({ label: "Impact ratio", qualifier: "gender", requirement: "must be at least 0.8", value: "0.636", pass: false, note: "worst group: female", previous: null });
    expect(ir.meaning).toMatch(/four-fifths/);
    expect(cards[0]).toMatchObject({ label: "ROC AUC", requirement: "must be at least 0.75", value: "0.932", pass: true });
    expect(cards[4]).toMatchObject({ label: "Flip rate", qualifier: "ε = 0.1", requirement: "must be at most 0.1" });
    expect(cards.map((c) => c.pass)).toEqual(v1.policy.map((p) => p.pass));
  });
  test("with a previous version: that version's status", () => {
    const cards = policyCards(v2, v1);
    expect(cards[1]!.previous).toEqual({ status: "fail", value: "0.636" });
    expect(cards[1]!.pass).toBe(true);
    const added = policyCards(v2, { ...v1, policy: [] });
    expect(added[0]!.previous).toEqual({ status: "absent", value: "—" });
  });
});

describe("headline metrics", () => {
  test("performance, the per-attribute aggregates and robustness", () => {
    expect(headlineAddresses(v1)).toEqual([
      { id: "accuracy" },
      { id: "balanced_accuracy" },
      { id: "roc_auc" },
      { id: "demographic_parity_ratio", attribute: "gender" },
      { id: "equalized_odds_difference", attribute: "gender" },
      { id: "demographic_parity_ratio", attribute: "race" },
      { id: "equalized_odds_difference", attribute: "race" },
      { id: "flip_rate", epsilon: 0.5 },
      { id: "median_min_epsilon" },
    ]);
    // compas: no robustness; two attributes (race, sex), the intersection is left out
    expect(headlineAddresses(compas).map((a) => a.id)).toEqual(["accuracy", "balanced_accuracy", "roc_auc", "demographic_parity_ratio", "equalized_odds_difference", "demographic_parity_ratio", "equalized_odds_difference"]);
  });
  test("values, intervals and deltas come from the reports", () => {
    const h = headlineMetrics(v2, v1);
    const auc = h.find((m) => m.label === "ROC AUC")!;
    const a1 = v1.sections.performance!.metrics.roc_auc!;
    const a2 = v2.sections.performance!.metrics.roc_auc!;
    expect(auc.value).toBe(a2.value!.toFixed(3));
    expect(auc.ci).toBe(`[${a2.ci![0].toFixed(3)}, ${a2.ci![1].toFixed(3)}]`);
    // 0.8876 − 0.9322 = −0.0446
    expect(auc.change).toEqual({ previous: a1.value!.toFixed(3), delta: "\u22120.045", change: "worse" });
    const dp = h.find((m) => m.label === "Demographic parity ratio" && m.qualifier === "gender")!;
    expect(dp.change!.change).toBe("better");
    expect(headlineMetrics(v1).every((m) => m.change === null)).toBe(true);
  });
});

test("warnings are grouped by kind", () => {
  const g = groupWarnings([
    ...compas.warnings,
    { code: "missing_values", column: "x", message: "3 empty values" },
    { code: "unknown_categories", column: "y", message: "2 rows of y" },
    { code: "group_excluded", attribute: "a", group: "b", message: "excluded" },
    { code: "nothing_mutable", message: "robustness: nothing" },
  ]);
  // COMPAS (2% share): its 8 excluded groups, none small among those compared, nothing undefined
  expect(compas.warnings.filter((w) => w.code === "group_excluded")).toHaveLength(8);
  expect(g.map((x) => [x.id, x.items.length])).toEqual([
    ["excluded", 9],
    ["missing", 1],
    ["unknown_categories", 1],
    ["other", 1],
  ]);
  expect(groupWarnings([{ code: "small_group", message: "s" }, { code: "undefined_rate", message: "u" }]).map((x) => x.id)).toEqual(["small", "undefined"]);
  expect(groupWarnings([])).toEqual([]);
});

test("provenance names the engine, backend, dataset hash and row counts", () => {
  const p = Object.fromEntries(provenance(v1).map((i) => [i.label, i.value]));
  expect(p["Engine"]).toBe("assay 0.1.0 · backend wasm · TensorFlow.js 4.22.0 · Node v20.20.2");
  expect(p["Dataset SHA-256"]).toBe(v1.dataset.sha256);
  expect(p["Rows"]).toMatch(/^534 rows .* 266 positive, 268 negative$/);
  expect(p["Rows analysed"]).toBe("performance 534 · permutation importance 534 · SHAP 200 explained, 50 background · robustness 534 attacked");
  const c = Object.fromEntries(provenance(compas).map((i) => [i.label, i.value]));
  expect(c["Model"]).toBe("score column decile_score (not a probability)");
  expect(c["Engine"]).toBe("assay 0.1.0 · backend none (score column) · Node v20.20.2");
  // a GPU backend names its adapter, and says when it is a software one
  const gpu = structuredClone(v1);
  gpu.engine = { ...gpu.engine, backend: "webgpu", adapter: { vendor: "nvidia", architecture: "hopper", description: "NVIDIA H200", software: false } };
  expect(Object.fromEntries(provenance(gpu).map((i) => [i.label, i.value]))["Engine"]).toBe("assay 0.1.0 · backend webgpu on NVIDIA H200 (nvidia, hopper) · TensorFlow.js 4.22.0 · Node v20.20.2");
  gpu.engine.adapter = { vendor: "mesa", architecture: "software", description: "llvmpipe", software: true };
  expect(Object.fromEntries(provenance(gpu).map((i) => [i.label, i.value]))["Engine"]).toBe("assay 0.1.0 · backend webgpu on llvmpipe (mesa, software) — a software adapter · TensorFlow.js 4.22.0 · Node v20.20.2");
});

describe("interval labels follow the audit's confidence level", () => {
  const withLevels = (perf: number, fair: number): Report => {
    const r = structuredClone(v1);
    r.sections.performance!.bootstrap!.confidence = perf;
    r.sections.fairness!.bootstrap.confidence = fair;
    return r;
  };

  it("says 95% for the default level", () => {
    const rows = headlineMetrics(v1);
    expect(rows.filter((h) => h.ci).every((h) => h.level === "95%")).toBe(true);
    expect(headlineIntervalTitle(rows)).toBe("95% interval");
  });

  it("names one level in the column title when every interval shares it", () => {
    const r = withLevels(0.9, 0.9);
    const rows = headlineMetrics(r);
    expect(headlineIntervalTitle(rows)).toBe("90% interval");
    expect(headlineIntervalText(rows[0]!, rows)).toBe(rows[0]!.ci);
    expect(fairnessView(r, r.sections.fairness!).intervals).toMatch(/^90% intervals: /);
    expect(fairnessView(r, r.sections.fairness!).level).toBe("90%");
  });

  it("names each cell's level when performance and fairness differ", () => {
    const rows = headlineMetrics(withLevels(0.9, 0.99));
    expect(headlineIntervalTitle(rows)).toBe("Interval");
    const auc = rows.find((h) => h.key === JSON.stringify({ id: "roc_auc" }))!;
    expect(headlineIntervalText(auc, rows)).toBe(`${auc.ci} (90%)`);
    const dp = rows.find((h) => h.label === "Demographic parity ratio")!;
    expect(headlineIntervalText(dp, rows)).toBe(`${dp.ci} (99%)`);
  });

  it("labels the PDF's performance table with the performance level", () => {
    const m = buildPdfModel(withLevels(0.8, 0.95), { reportSha256: "0".repeat(64) });
    expect("level" in m.performance && m.performance.level).toBe("80%");
  });
});
