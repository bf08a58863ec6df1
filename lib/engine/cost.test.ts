import { ZAuditSpec } from "../spec/schema";
import { costRefusal, estimateAuditCost, rawColumnCount } from "./cost";

const base = { name: "t", dataset: { path: "d.csv", label: "y", positive: "1" }, model: { path: "m" }, sensitive: ["g"] };

describe("estimateAuditCost: model evaluations from the spec's budgets", () => {
  it("adds scoring, permutation importance, exact KernelSHAP and PGD, as counted by hand", () => {
    const spec = ZAuditSpec.parse({
      ...base,
      analyses: {
        permutation_importance: { repeats: 10 },
        shap: { background: { method: "kmeans", k: 50 }, rows: 200 },
        robustness: { attack: "pgd", epsilons: [0.05, 0.1, 0.25, 0.5], steps: 20, restarts: 1, rows: 534 },
      },
    });
    const est = estimateAuditCost(spec, 534, 10);
    const expected = {
      scoring: 534,
      pi: 534 * (10 * 10 + 1),
      // 2^10 − 2 = 1022 coalitions ≤ 2 × (2·10 + 2048): exact
      shap: 200 * (1022 * 50 + 50 + 1),
      rob: 534 * 4 * 1 * (20 * 2 + 1),
    };
    expect(est.parts.map((p) => p.evaluations)).toEqual([expected.scoring, expected.pi, expected.shap, expected.rob]);
    expect(est.evaluations).toBe(expected.scoring + expected.pi + expected.shap + expected.rob);
    expect(est.parts[2]!.detail).toBe("200 rows × 1,022 (all) coalitions × 50 background rows");
  });

  it("a target error counts its most coalitions (default 8 × (2M + 2048), at most 2^M − 2); a background file counts its rows once read, else 1,000", () => {
    const target = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 100, background: { path: "bg.csv" }, samples: { target_error: 1e-3 } } } });
    const shapPart = (e: ReturnType<typeof estimateAuditCost>) => e.parts.find((p) => p.analysis === "KernelSHAP")!;
    expect(shapPart(estimateAuditCost(target, 1000, 16)).evaluations).toBe(100 * (8 * (2 * 16 + 2048) * 1000 + 1000 + 1));
    expect(shapPart(estimateAuditCost(target, 1000, 16)).detail).toBe("100 rows × up to 16,640 coalitions × 1,000 background rows (a background file counts as up to 1,000 rows)");
    expect(shapPart(estimateAuditCost(target, 1000, 16, false, 50)).evaluations).toBe(100 * (16_640 * 50 + 50 + 1));
    expect(shapPart(estimateAuditCost(target, 1000, 16, false, 50)).detail).toBe("100 rows × up to 16,640 coalitions × 50 background rows");
    const capped = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 10, samples: { target_error: 1e-3, max: 100_000 } } } });
    expect(shapPart(estimateAuditCost(capped, 1000, 12)).evaluations).toBe(10 * (4094 * 100 + 100 + 1)); // 2^12 − 2
  });

  it("counts the sampled budget past the exact range, all 2^M − 2 coalitions under samples: exact, and rows for TreeSHAP", () => {
    const sampled = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 10, background: { method: "sample", size: 100 } } } });
    expect(estimateAuditCost(sampled, 1000, 20).parts[1]!.evaluations).toBe(10 * ((2 * 20 + 2048) * 100 + 101));
    const exact = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 200, samples: "exact", background: { method: "sample", size: 100 } } } });
    const big = estimateAuditCost(exact, 1000, 24);
    expect(big.parts[1]!.evaluations).toBe(200 * ((2 ** 24 - 2) * 100 + 101));
    const tree = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 300 } } });
    expect(estimateAuditCost(tree, 1000, 24, true).parts[1]).toEqual({ analysis: "TreeSHAP", evaluations: 300, detail: "300 rows" });
  });

  it("counts queries for decision-based attacks and caps rows at the dataset's", () => {
    const spec = ZAuditSpec.parse({ ...base, analyses: { robustness: { attack: "boundary", rows: 1_000_000, queries: 500, epsilons: [0.1, 0.2] } } });
    expect(estimateAuditCost(spec, 2000, 5).parts[1]!.evaluations).toBe(2000 * 2 * 500);
  });

  it("refuses past the limit with the estimate, the largest part and the variable to raise", () => {
    const exact = ZAuditSpec.parse({ ...base, analyses: { shap: { rows: 200, samples: "exact", background: { method: "sample", size: 100 } } } });
    const msg = costRefusal(estimateAuditCost(exact, 1000, 24), 1e10)!;
    expect(msg).toBe(
      "this audit needs about 3.36e+11 model evaluations (mostly KernelSHAP: 200 rows × 16,777,214 (all) coalitions × 100 background rows), more than the limit of 1.00e+10 (ASSAY_MAX_AUDIT_EVALUATIONS); lower the budgets (rows, samples, background size, repeats, steps, queries) or raise the limit",
    );
    expect(costRefusal(estimateAuditCost(exact, 1000, 10), 1e10)).toBeNull();
  });

  it("counts raw columns once however many inputs encode them", () => {
    expect(rawColumnCount([{ column: "a" }, { column: "b" }, { column: "b" }])).toBe(2);
    expect(rawColumnCount(undefined)).toBe(0);
  });
});
