import { ZAuditSpec } from "./schema";
import { presetChecks, presetMinGroupShare, specFromForm, type AuditFormValues } from "./from-form";

const base: AuditFormValues = {
  name: "Hiring screen v2 on applicants",
  purpose: "Screen applicants",
  dataset: { path: "projects/p/datasets/d/applicants.csv", name: "applicants.csv", label: "hired", positive: "1" },
  version: { kind: "model", path: "projects/p/models/m", model: "Screen", version: "v2" },
  sensitive: ["sex", "race"],
  intersections: ["sex", "race"],
  positiveDecision: "benefit",
  threshold: null,
  analyses: {
    performance: true,
    fairness: { enabled: true, bootstrap: 500, seed: 3, minGroupSize: 10, minGroupShare: 0, tau: 0.8, reference: {} },
    permutationImportance: { enabled: true, scoring: "roc_auc", repeats: 5 },
    shap: { enabled: true, rows: 100, background: 50, method: "kernel", link: "logit" },
    robustness: { enabled: true, attack: "pgd", epsilons: [0.1, 0.5], rows: 500, categorical: "frozen" },
  },
  policy: { preset: "ll144", custom: [] },
};

describe("specFromForm", () => {
  it("produces a spec the one schema accepts, with the form's choices", () => {
    const spec = ZAuditSpec.parse(specFromForm(base));
    expect(spec.model).toEqual({ path: "projects/p/models/m", name: "Screen", version: "v2" });
    expect(spec.analyses.fairness).toMatchObject({ bootstrap: 500, seed: 3, min_group_size: 10 });
    expect(spec.analyses.shap).toMatchObject({ rows: 100, link: "logit", background: { method: "sample", size: 50 } });
    expect(spec.analyses.robustness).toMatchObject({ epsilons: [0.1, 0.5], rows: 500 });
    expect(spec.threshold).toBeUndefined();
    expect(spec.purpose).toBe("Screen applicants");
  });

  it("asks a tree ensemble for exact TreeSHAP without KernelSHAP's link, and a boundary attack with its query budget", () => {
    const spec = ZAuditSpec.parse(
      specFromForm({
        ...base,
        analyses: { ...base.analyses, shap: { ...base.analyses.shap, method: "tree" }, robustness: { ...base.analyses.robustness, attack: "boundary", queries: 500 } },
      }),
    );
    expect(spec.analyses.shap).toMatchObject({ method: "tree", rows: 100 });
    expect(spec.analyses.shap!.link).toBeUndefined();
    expect(spec.analyses.robustness).toMatchObject({ attack: "boundary", queries: 500 });
    // PGD keeps the default query budget out of the spec
    expect(specFromForm({ ...base, analyses: { ...base.analyses, robustness: { ...base.analyses.robustness, queries: 500 } } }).analyses).toMatchObject({ robustness: expect.not.objectContaining({ queries: 500 }) });
  });

  it("writes positive_decision, the fairness options the form exposes, and only the picked intersection", () => {
    const three = { ...base, sensitive: ["sex", "race", "age_band"], intersections: ["race", "sex"], positiveDecision: "harm" as const };
    const spec = ZAuditSpec.parse(
      specFromForm({ ...three, analyses: { ...base.analyses, fairness: { ...base.analyses.fairness, minGroupShare: 0.02, tau: 0.75, reference: { race: "white", sex: "", gone: "x" } } } }),
    );
    expect(spec.positive_decision).toBe("harm");
    expect(spec.intersections).toEqual([["sex", "race"]]); // in the order of the sensitive attributes
    expect(spec.analyses.fairness).toMatchObject({ min_group_share: 0.02, tau: 0.75, reference: { race: "white" } });
    expect(spec.analyses.fairness!.reference).not.toHaveProperty("sex"); // blank: the largest group
    // LL144 crosses only the picked attributes and implies a 2% share
    expect(presetChecks("ll144", three.sensitive, three.intersections).map((c) => c.attribute)).toEqual(["sex", "race", "age_band", "sex & race"]);
    expect(presetMinGroupShare("ll144")).toBe(0.02);
    expect(presetMinGroupShare("four_fifths")).toBeNull();
    // fewer than two picked: no intersection at all
    expect(ZAuditSpec.parse(specFromForm({ ...three, intersections: ["race"] })).intersections).toBe(false);
  });

  it("turns the LL144 preset into impact-ratio checks per attribute and for the intersection", () => {
    const spec = ZAuditSpec.parse(specFromForm(base));
    expect(spec.policy).toEqual([
      { metric: "impact_ratio", attribute: "sex", min: 0.8 },
      { metric: "impact_ratio", attribute: "race", min: 0.8 },
      { metric: "impact_ratio", attribute: "sex & race", min: 0.8 },
    ]);
    const fourFifths = ZAuditSpec.parse(specFromForm({ ...base, policy: { preset: "four_fifths", custom: [] } }));
    expect(fourFifths.policy).toHaveLength(2);
  });

  it("drops model-only analyses for a score column and keeps the threshold", () => {
    const spec = ZAuditSpec.parse(
      specFromForm({ ...base, threshold: 5, version: { kind: "score", scoreColumn: "decile_score", probability: false, model: "COMPAS", version: "decile" } }),
    );
    expect(spec.model).toEqual({ score: "decile_score", probability: false, name: "COMPAS", version: "decile" });
    expect(Object.keys(spec.analyses).sort()).toEqual(["fairness", "performance"]);
    expect(spec.threshold).toBe(5);
  });

  it("passes custom checks through for the schema to judge", () => {
    const spec = specFromForm({ ...base, policy: { preset: "custom", custom: [{ metric: "roc_auc", min: 0.7 }, { metric: "flip_rate", epsilon: 0.1, max: 0.05, attribute: "" }] } });
    expect(ZAuditSpec.parse(spec).policy).toEqual([
      { metric: "roc_auc", min: 0.7 },
      { metric: "flip_rate", epsilon: 0.1, max: 0.05 },
    ]);
    expect(ZAuditSpec.safeParse(specFromForm({ ...base, policy: { preset: "custom", custom: [{ metric: "nonsense", min: 1 }] } })).success).toBe(false);
  });
});
