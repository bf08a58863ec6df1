import { loadFixture } from "../views/testing/fixtures";
import { ATTRIBUTE_METRIC_IDS, FEATURE_METRIC_IDS, GROUP_METRIC_IDS, PERFORMANCE_METRIC_IDS, ROBUSTNESS_METRIC_IDS } from "../vocabulary";
import { RATE_IDS } from "../engine/metrics/rates";
import { GLOSSARY, glossaryEntry, metricExplanation, metricLabel } from "./glossary";

const ALL_IDS = [...PERFORMANCE_METRIC_IDS, ...ATTRIBUTE_METRIC_IDS, ...GROUP_METRIC_IDS, ...FEATURE_METRIC_IDS, ...ROBUSTNESS_METRIC_IDS, ...RATE_IDS, "group_size"];

test("every metric id a policy or a report can name has a label and a one-line explanation", () => {
  for (const id of ALL_IDS) {
    const e = GLOSSARY[id];
    expect(e).toBeDefined();
    expect(e!.label.length).toBeGreaterThan(2);
    expect(e!.explanation.length).toBeGreaterThan(30);
    expect(e!.explanation).not.toMatch(/\n/);
    expect(e!.explanation.trim().endsWith(".")).toBe(true);
  }
});

test("every id in the fixture reports' flat metric lists is covered", () => {
  for (const name of ["cps-v1", "cps-v2", "compas"] as const) {
    for (const m of loadFixture(name).metrics) expect(GLOSSARY[m.id]).toBeDefined();
  }
});

test("faithful to METRICS.md on the key definitions", () => {
  expect(metricExplanation("impact_ratio")).toMatch(/favourable rate divided by the highest group's/);
  expect(metricExplanation("impact_ratio")).toMatch(/below 0\.8/);
  expect(metricExplanation("demographic_parity_ratio")).toMatch(/Lowest selection rate divided by the highest/);
  expect(metricExplanation("demographic_parity_difference")).toMatch(/Highest minus lowest selection rate/);
  expect(metricExplanation("fpr_disparity")).toMatch(/reference group's/);
  expect(metricExplanation("fpr_disparity")).toMatch(/between τ and 1\/τ/);
  expect(metricExplanation("robustness_disparity")).toMatch(/Highest minus lowest flip rate/);
  expect(metricLabel("selection_rate_disparity")).toBe("Selection rate disparity");
});

test("labels are unique except where two ids name the same quantity", () => {
  const byLabel = new Map<string, string[]>();
  for (const [id, e] of Object.entries(GLOSSARY)) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), id]);
  const dupes = [...byLabel.entries()].filter(([, ids]) => ids.length > 1);
  expect(dupes).toEqual([]);
});

test("an unknown id falls back to a readable label", () => {
  expect(glossaryEntry("some_new_metric")).toEqual({ label: "some new metric", explanation: "" });
});
