import type { AttributeReport, Report } from "../report/types";
import { chartRates } from "./fairness";
import { loadFixture } from "./testing/fixtures";
import { attributeView, fairnessView, heatmapView, sliderView } from "./fairness";
import { GROUP_COLORS } from "./palette";
import { ratesAtThresholdOrThrow } from "./threshold";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");
const view = fairnessView(v1, v1.sections.fairness!);
const race = view.attributes.find((a) => a.attribute === "race")!;
const raceReport = v1.sections.fairness!.attributes.find((a) => a.attribute === "race")!;

test("one view per attribute and intersection, in report order", () => {
  expect(view.attributes.map((a) => [a.attribute, a.intersection])).toEqual([
    ["gender", false],
    ["race", false],
    ["gender & race", true],
  ]);
  expect(view.intervals).toBe("95% intervals: percentile bootstrap, stratified by group, multinomial over each group's confusion cells, 1,000 resamples, seed 7.");
});

test("group flags: reference, small, colours by position", () => {
  expect(race.groups.map((g) => [g.group, g.flags])).toEqual([
    ["hispanic", ["small (n < 30)"]],
    ["other", []],
    ["white", ["reference"]],
  ]);
  expect(race.groups.map((g) => g.color)).toEqual(GROUP_COLORS.slice(0, 3));
  expect(race.smallGroups).toEqual(["hispanic"]);
  expect(race.referenceText).toBe("Reference group: white (chosen in the audit spec).");
  const inter = view.attributes[2]!;
  expect(inter.referenceText).toBe("Reference group: gender=male & race=white (the largest group).");
  expect(inter.groups[0]!.short).toBe("female & hispanic");
});

test("rate charts: stored values, interval whiskers and the Aequitas band around the reference", () => {
  // CPS wages: a positive decision is a benefit, so the false negative rate (wrongly denied) comes second
  expect(race.charts.map((c) => c.rate)).toEqual(chartRates("benefit"));
  expect(chartRates("benefit")).toEqual(["selection_rate", "fnr", "tpr", "fpr", "ppv"]);
  expect(chartRates("harm")).toEqual(["selection_rate", "fpr", "tpr", "ppv"]);
  const sel = race.charts[0]!;
  const white = raceReport.groups.find((g) => g.group === "white")!;
  const other = raceReport.groups.find((g) => g.group === "other")!;
  const bar = sel.bars.find((b) => b.group === "other")!;
  expect(bar.value).toBe(other.rates.selection_rate!.value);
  expect(bar.error![0]).toBeCloseTo(other.rates.selection_rate!.value! - other.rates.selection_rate!.ci![0], 15);
  expect(bar.error![1]).toBeCloseTo(other.rates.selection_rate!.ci![1] - other.rates.selection_rate!.value!, 15);
  const ref = white.rates.selection_rate!.value!;
  expect(sel.reference).toEqual({ group: "white", value: ref });
  expect(sel.band![0]).toBeCloseTo(0.8 * ref, 15);
  expect(sel.band![1]).toBeCloseTo(ref / 0.8, 15);
  // TPR of the reference is 0.85 → 0.85/0.8 > 1 is clipped to 1
  expect(race.charts.find((c) => c.rate === "tpr")!.band![1]).toBe(1);
});

test("disparity table: pass/fail per cell from the report", () => {
  const hisp = race.disparity.rows.find((r) => r.meta.group === "hispanic")!;
  const stored = raceReport.groups.find((g) => g.group === "hispanic")!.disparities;
  const fprIndex = race.disparity.rates.findIndex((r) => r.id === "fpr");
  // hispanic FPR is 0 → disparity 0 → fails
  expect(stored.fpr!.value).toBe(0);
  expect(hisp.cells[fprIndex]).toMatchObject({ text: "0.000", status: "fail", reason: null });
  expect(race.disparity.bandText).toBe("[0.8, 1.25]");
  const statuses = hisp.cells.map((c) => c.status);
  expect(statuses).toEqual(race.disparity.rates.map((r) => (stored[r.id]!.pass === null ? "none" : stored[r.id]!.pass ? "pass" : "fail")));
});

test("impact ratios: status against 0.8", () => {
  const gender = view.attributes[0]!;
  expect(gender.impact.bars.map((b) => [b.group, b.text, b.status])).toEqual([
    ["female", "0.636", "fail"],
    ["male", "1.000", "pass"],
  ]);
  expect(gender.impact.failing).toBe(1);
  expect(gender.impact.domainMax).toBeGreaterThanOrEqual(1);
});

test("null values carry a reason (compas: an intersection group with nobody selected)", () => {
  const cv = fairnessView(compas, compas.sections.fairness!);
  const inter = cv.attributes.find((a) => a.attribute === "race & sex")!;
  const asianF = inter.table.rows.find((r) => r.meta.group === "race=Asian & sex=Female")!;
  const ppv = asianF.cells[inter.table.rates.findIndex((r) => r.id === "ppv")]!;
  expect(ppv).toMatchObject({ value: null, text: "—", reason: "nobody in this group was selected" });
  const disp = inter.disparity.rows.find((r) => r.meta.group === "race=Asian & sex=Female")!;
  expect(disp.cells[inter.disparity.rates.findIndex((r) => r.id === "ppv")]).toMatchObject({ text: "—", status: "none", reason: "this group's rate is undefined (nobody in this group was selected)" });
  // aggregates: predictive parity over the 6 groups that reach 2% of the rows (the other 6 are excluded)
  expect(inter.aggregates.find((r) => r.id === "predictive_parity_difference")!.groups).toBe("6 groups");
  expect(inter.excluded.map((x) => x.group)).toHaveLength(6);
});

test("excluded groups are listed and flagged", () => {
  const a: AttributeReport = structuredClone(raceReport);
  a.groups[0]!.excluded = true;
  a.excluded = [{ group: "hispanic", n: 27, reason: "n = 27 < min_group_size 30" }];
  const av = attributeView(v1, v1.sections.fairness!, a);
  expect(av.groups[0]!.flags).toEqual(["small (n < 30)", "excluded from comparisons"]);
  expect(av.excluded).toEqual([{ group: "hispanic", n: "27", reason: "n = 27 < min_group_size 30" }]);
});

test("an aggregate over fewer than two groups is — with the reason", () => {
  const a: AttributeReport = structuredClone(raceReport);
  a.aggregates.equalized_odds_difference = { value: null, groups: 1 };
  const row = attributeView(v1, v1.sections.fairness!, a).aggregates.find((r) => r.id === "equalized_odds_difference")!;
  expect(row).toMatchObject({ value: "—", groups: "1 group", reason: "fewer than two groups have a defined value, so there is nothing to compare" });
});

test("heat map of an intersection: rows and columns are the two attributes' values", () => {
  const hm = view.attributes[2]!.heatmap!;
  expect(hm.rowColumn).toBe("gender");
  expect(hm.colColumn).toBe("race");
  expect(hm.rows).toEqual(["female", "male"]);
  expect(hm.cols).toEqual(["hispanic", "other", "white"]);
  const cell = hm.cells.find((c) => c.row === "female" && c.col === "hispanic")!;
  const stored = v1.sections.fairness!.attributes[2]!.groups.find((g) => g.group === "gender=female & race=hispanic")!;
  expect(cell).toMatchObject({ n: 13, small: true, excluded: false });
  expect(cell.values.selection_rate).toBe(stored.rates.selection_rate!.value);
  expect(heatmapView(raceReport)).toBeNull();
});

test("threshold slider input and rows", () => {
  const s = race.slider!;
  expect(s.auditThreshold).toBe(0.5);
  expect(s.distribution.edges[s.auditIndex]).toBe(0.5);
  expect(s.distribution.attributes.map((a) => a.attribute)).toEqual(["race"]);
  const audit = ratesAtThresholdOrThrow(s.distribution, s.attribute, s.auditIndex);
  const higher = ratesAtThresholdOrThrow(s.distribution, s.attribute, s.auditIndex + 20);
  const sv = sliderView(s, higher, audit);
  expect(sv.threshold).toBe("0.7");
  expect(sv.isAudit).toBe(false);
  const white = sv.rows.find((r) => r.meta.group === "white")!;
  expect(white.cells[0]!.text).toBe(higher.groups.find((g) => g.group === "white")!.rates.selection_rate!.toFixed(3));
  expect(sv.bars.find((b) => b.group === "white")!.audit).toBe(raceReport.groups.find((g) => g.group === "white")!.rates.selection_rate!.value);
  expect(sv.aggregates[1]!.auditText).toBe(raceReport.aggregates.demographic_parity_ratio!.value!.toFixed(3));
  const r: Report = { ...v1, sections: { ...v1.sections, fairness: { ...v1.sections.fairness!, distribution: undefined } } };
  expect(fairnessView(r, r.sections.fairness!).attributes[0]!.slider).toBeNull();
});
