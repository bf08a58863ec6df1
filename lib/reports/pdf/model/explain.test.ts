import type { ShapSection } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { permutationMethod, seSummary, shapMethod, superscript } from "./explain";
import { shapMethodText } from "../../../views/explanations";

const v1 = loadFixture("cps-v1");

describe("permutationMethod", () => {
  test("states the score, repeats, rows and baseline from the report", () => {
    const pi = v1.sections.permutationImportance!;
    const rows = permutationMethod(pi);
    const value = (l: string) => rows.find((r) => r.label === l)!.value;
    expect(value("Score")).toBe(`${pi.scoring}; importance = ${pi.direction}`);
    expect(value("Repeats")).toBe(`${pi.repeats} independent shuffles per column (seed ${pi.seed})`);
    expect(value("Rows")).toBe("534 (all rows)");
    expect(value("Baseline score")).toBe(pi.baselines[0]!.toFixed(3));
  });
});

describe("shapMethod", () => {
  const shap = v1.sections.shap!;
  test("exact mode: every coalition, no coalition sampling error", () => {
    const rows = shapMethod(shap);
    const value = (l: string) => rows.find((r) => r.label === l)!.value;
    const m = shap.features.length;
    expect(value("Mode")).toBe(`exact: all 2${superscript(m)} − 2 = ${(2 ** m - 2).toLocaleString("en-US")} coalitions of the ${m} columns`);
    expect(value("Link")).toBe("identity: contributions in probability");
    expect(value("Background")).toBe(`weighted k-means, ${shap.background.rows} centres snapped to real rows`);
    expect(value("Coalition sampling error")).toBe("none: every coalition was evaluated");
    expect(value("Row sampling error")).toContain(Math.max(...shap.global.map((g) => g.se)).toFixed(3));
  });
  test("sampled mode with a random background and logit link", () => {
    const sampled: ShapSection = { ...shap, mode: "sampled", link: "logit", coalitions: 200, budget: 200, completeSizes: [1, 9], background: { method: "sample", rows: 40 } };
    const rows = shapMethod(sampled);
    const value = (l: string) => rows.find((r) => r.label === l)!.value;
    expect(value("Mode")).toBe("sampled: 200 of 1,022 coalitions (budget 200, sizes drawn by Shapley kernel weight, paired with complements; sizes 1, 9 enumerated completely)");
    expect(value("Link")).toBe("logit: contributions in log-odds");
    expect(value("Background")).toBe("random sample of 40 rows");
    expect(value("Coalition sampling error")).toMatch(/^standard error of each row's contributions/);
  });
  test("sampled to a target error: the target, rounds, coalitions per row and rows that met it", () => {
    const target = { error: 3.8e-4, max: 1022, rounds: 3, coalitionsPerRow: { min: 330, median: 330, max: 870 }, rowsMet: 199, estimatedError: { mean: 0.00021, max: 0.0009 } };
    const sampled: ShapSection = { ...shap, mode: "sampled", coalitions: 870, budget: 1022, completeSizes: [1, 9], target, explained: { method: "sample", rows: 200 } };
    const value = (l: string) => shapMethod(sampled).find((r) => r.label === l)!.value;
    expect(value("Mode")).toContain("estimated error: mean 2.1e-4, largest 9e-4");
    expect(value("Mode")).toMatch(/^sampled to a target: each row's estimated relative squared error Σse²\/Σφ² at most 3\.8e-4 \(within 1,022 coalitions\), in 3 rounds; coalitions per row 330 \(least\), 330 \(median\), 870 \(most\) of 1,022; 199 of 200 rows met the target/);
    expect(shapMethodText(sampled)).toBe("KernelSHAP (sampled to a target error of 3.8e-4: 330–870 coalitions per row, kernel sampling; identity link, probability)");
  });
});

describe("shapMethod for TreeSHAP", () => {
  test("states exactness, the trees, the log-odds units and the margin's additivity", () => {
    const shap = v1.sections.shap!;
    const tree: ShapSection = { ...shap, method: "tree", units: "log-odds", link: "logit", coalitions: 0, budget: 0, trees: { count: 100, maxDepth: 5, leaves: 2463, source: "XGBoost 1.7.4 gbtree (binary:logistic)" } };
    const rows = shapMethod(tree);
    const value = (l: string) => rows.find((r) => r.label === l)?.value;
    expect(value("Method")).toMatch(/^exact interventional TreeSHAP/);
    expect(value("Trees")).toBe("100 trees of depth ≤ 5, 2,463 leaves (XGBoost 1.7.4 gbtree (binary:logistic))");
    expect(value("Units")).toMatch(/^log-odds: .*Not comparable with KernelSHAP values in probability/);
    expect(value("Coalition sampling error")).toBe("none: the values are exact");
    expect(value("Additivity")).toMatch(/^largest \|Σφ \+ φ₀ − margin\|/);
    expect(value("Mode")).toBeUndefined();
    expect(value("Link")).toBeUndefined();
  });
});

describe("helpers", () => {
  test("superscript digits", () => {
    expect(superscript(10)).toBe("¹⁰");
    expect(superscript(7)).toBe("⁷");
  });
  test("seSummary: median and largest over all rows' standard errors", () => {
    expect(seSummary({ rows: [] })).toEqual({ median: null, max: null });
    const row = (se: number[]) => ({ row: 0, line: 1, prediction: 0, output: 0, phi: se.map(() => 0), se, additivityError: 0, values: se.map(() => null) });
    expect(seSummary({ rows: [row([0.1, 0.3]), row([0.2])] })).toEqual({ median: 0.2, max: 0.3 });
    expect(seSummary({ rows: [row([0.1, 0.4]), row([0.2, 0.3])] })).toEqual({ median: 0.25, max: 0.4 });
  });
});
