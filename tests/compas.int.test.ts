// The CLI on ProPublica's COMPAS data (score mode, decile_score ≥ 5), checked against the
// numbers ProPublica and the Aequitas COMPAS demo published.

import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Report } from "../lib/report/types";
import { runCli, tempDir, writeSpec } from "./helpers/cli";
import { sharedDataset } from "./helpers/shared";
import { disadvantageSummary } from "../lib/views/summary";

const COMPAS = sharedDataset("compas-two-years.csv");

const SPEC = `name: COMPAS decile score
dataset: { path: ${JSON.stringify(COMPAS)}, label: two_year_recid, positive: "1" }
model: { score: decile_score }
threshold: 5
sensitive: [race, sex]
intersections: true
analyses:
  performance: {}
  fairness: { bootstrap: 1000, seed: 7, reference: { race: Caucasian }, min_group_size: 0 }
policy:
  - { metric: demographic_parity_ratio, attribute: race, min: 0.8 }
  - { metric: equalized_odds_difference, attribute: sex, max: 0.1 }
`;

describe("assay audit on COMPAS", () => {
  const dir = tempDir();
  const spec = writeSpec(dir, SPEC);
  const out = path.join(dir, "out");
  const result = runCli(["audit", spec, "--out", out]);
  const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as Report;
  const race = report.sections.fairness!.attributes.find((a) => a.attribute === "race")!;
  const group = (name: string) => race.groups.find((g) => g.group === name)!;

  it("exits 1 because a policy check fails, and says so", () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL demographic_parity_ratio \(race\)/);
    expect(result.stdout).toMatch(/PASS equalized_odds_difference \(sex\)/);
    expect(result.stdout).toMatch(/FAILED · 1 of 2 checks failed/);
    expect(report.passed).toBe(false);
    expect(report.policy.map((p) => p.pass)).toEqual([false, true]);
  });

  it("reproduces ProPublica's false positive rates (0.4485 vs 0.2345)", () => {
    expect(group("African-American").rates.fpr!.value).toBeCloseTo(0.4485, 4);
    expect(group("Caucasian").rates.fpr!.value).toBeCloseTo(0.2345, 4);
  });

  it("has the confusion counts printed in Aequitas' COMPAS demo", () => {
    expect(group("African-American").confusion).toEqual({ tp: 1369, fp: 805, tn: 990, fn: 532 });
    expect(group("Caucasian").confusion).toEqual({ tp: 505, fp: 349, tn: 1139, fn: 461 });
    expect(race.groups.reduce((s, g) => s + g.n, 0)).toBe(7214);
    expect(group("Asian").n).toBe(32);
    expect(group("Native American")).toMatchObject({ n: 18, small: true });
  });

  it("computes disparities against the reference named in the spec", () => {
    expect(race.reference).toEqual({ group: "Caucasian", source: "spec" });
    expect(group("African-American").disparities.fpr!.value).toBeCloseTo(805 / 1795 / (349 / 1488), 12);
    expect(group("African-American").disparities.fpr!.pass).toBe(false);
  });

  it("records provenance: schema, definitions, dataset hash, backend, timings", () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.definitions).toBe(2);
    expect(report.dataset.sha256).toBe(createHash("sha256").update(fs.readFileSync(COMPAS)).digest("hex"));
    expect(report.dataset.rows).toBe(7214);
    expect(report.dataset.label).toMatchObject({ positives: 3251, negatives: 3963 });
    expect(report.engine.backend).toMatch(/score column/);
    expect(report.timings.map((t) => t.analysis)).toEqual(["load", "scoring", "performance", "fairness", "total"]);
    expect(report.decision).toEqual({ threshold: 5, rule: "positive when score ≥ 5", positiveDecision: "benefit" });
  });

  it("flattens metrics with attribute- and group-level ids", () => {
    const fpr = report.metrics.find((m) => m.id === "fpr" && m.attribute === "race" && m.group === "Caucasian")!;
    expect(fpr.value).toBeCloseTo(0.2345, 4);
    expect(fpr.ci![0]).toBeLessThan(fpr.value!);
    expect(fpr.ci![1]).toBeGreaterThan(fpr.value!);
    const dp = report.metrics.find((m) => m.id === "demographic_parity_ratio" && m.attribute === "race")!;
    expect(dp.group).toBeUndefined();
    expect(report.metrics.some((m) => m.id === "impact_ratio" && m.attribute === "race & sex")).toBe(true);
    // overall confusion (one code path) equals the sum over race groups (another)
    const sum = race.groups.reduce((a, g) => ({ tp: a.tp + g.confusion.tp, fp: a.fp + g.confusion.fp, tn: a.tn + g.confusion.tn, fn: a.fn + g.confusion.fn }), { tp: 0, fp: 0, tn: 0, fn: 0 });
    expect(report.sections.performance!.confusion).toEqual(sum);
    expect(report.metrics.find((m) => m.id === "accuracy" && m.attribute === undefined)!.value).toBeCloseTo((sum.tp + sum.tn) / 7214, 15);
  });

  it("prints the report as JSON with --json and stays reproducible with the seed", () => {
    const again = runCli(["audit", spec, "--out", path.join(dir, "again"), "--json", "--quiet"]);
    expect(again.code).toBe(1);
    const r2 = JSON.parse(again.stdout) as Report;
    expect(r2.metrics).toEqual(report.metrics);
  });
});

describe("assay audit with invalid input", () => {
  const dir = tempDir();

  it("exits 2 and names the problem for a bad spec", () => {
    const spec = writeSpec(dir, SPEC.replace("threshold: 5", "treshold: 5"), "bad.audit.yaml");
    const r = runCli(["audit", spec, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.audit\.yaml.*unknown key "treshold"/);
  });

  it("exits 2 naming the file and column for a label that is not binary", () => {
    const spec = writeSpec(dir, SPEC.replace("label: two_year_recid", "label: decile_score").replace('positive: "1"', 'positive: "10"'), "nb.audit.yaml");
    const r = runCli(["audit", spec, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/compas-two-years\.csv, line \d+, column "decile_score": the label must be binary/);
  });

  it("exits 2 for a missing sensitive attribute", () => {
    const spec = writeSpec(dir, SPEC.replace("sensitive: [race, sex]", "sensitive: [ethnicity]").replace(/reference: \{ race: Caucasian \}, /, "").replace(/policy:[\s\S]*/, ""), "ms.audit.yaml");
    const r = runCli(["audit", spec, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sensitive attribute column "ethnicity" is not in the file/);
  });

  it("exits 2 for a reference group that does not occur", () => {
    const spec = writeSpec(dir, SPEC.replace("race: Caucasian", "race: Martian"), "ref.audit.yaml");
    const r = runCli(["audit", spec, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reference group "Martian" does not occur in race/);
  });
});

describe("the COMPAS example as committed: a positive prediction is harm (positive_decision: harm, 2% share)", () => {
  // the example spec, with the dataset wherever the shared datasets are
  const dir = tempDir();
  const text = fs.readFileSync(path.join(__dirname, "..", "audits/examples/compas/decile-score.audit.yaml"), "utf8").replace("path: ../../../../shared/datasets/compas-two-years.csv", `path: ${JSON.stringify(COMPAS)}`);
  const spec = writeSpec(dir, text);
  const out = path.join(dir, "out");
  const result = runCli(["audit", spec, "--out", out]);
  const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as Report;
  const race = report.sections.fairness!.attributes.find((a) => a.attribute === "race")!;

  it("computes favourable rates (not flagged) and impact ratios on them: African-American defendants have the lowest", () => {
    expect(report.decision.positiveDecision).toBe("harm");
    expect(report.definitions).toBe(2);
    const aa = race.groups.find((g) => g.group === "African-American")!;
    // not flagged = TN + FN = 990 + 532 of 3,696 (Aequitas' counts); Other: the highest
    expect(aa.rates.favorable_rate!.value).toBeCloseTo((990 + 532) / 3696, 12);
    const compared = race.groups.filter((g) => !g.excluded);
    const best = Math.max(...compared.map((g) => g.rates.favorable_rate!.value!));
    expect(aa.impactRatio.value).toBeCloseTo(aa.rates.favorable_rate!.value! / best, 12);
    expect(Math.min(...compared.map((g) => g.impactRatio.value!))).toBe(aa.impactRatio.value);
    // under 2% of the rows: reported, left out
    expect(race.excluded.map((x) => x.group).sort()).toEqual(["Asian", "Native American"]);
    expect(report.policy.find((p) => p.metric === "impact_ratio")).toMatchObject({ pass: false, note: "worst group: African-American" });
  });

  it("names African-American defendants as most often flagged and most often wrongly flagged, in the CLI and the summary", () => {
    expect(result.stdout).toMatch(/Who is disadvantaged · a positive prediction is harm for the person/);
    expect(result.stdout).toMatch(/race: African-American \(n = 3,696\) is most often given the adverse decision \(flagged\)/);
    expect(result.stdout).toMatch(/race: African-American \(n = 3,696\) is most often wrongly flagged: false positive rate 0\.448 against 0\.235 for Caucasian \(the reference\)/);
    const summary = disadvantageSummary(report)!;
    expect(summary.lines.filter((l) => l.material && l.attribute === "race").map((l) => l.group)).toEqual(["African-American", "African-American"]);
    // the same audit read as if a positive prediction were a benefit names another group
    const asBenefit = disadvantageSummary({ ...report, decision: { ...report.decision, positiveDecision: "benefit" } })!;
    expect(asBenefit.lines.find((l) => l.attribute === "race" && l.kind === "adverse")!.group).not.toBe("African-American");
  });
});
