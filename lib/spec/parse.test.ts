import { AppError } from "../errors";
import { parseSpecText, validateSpec } from "./parse";
import { intersectionNames } from "./schema";

const VALID = `name: COMPAS decile score
dataset: { path: data.csv, label: two_year_recid, positive: 1 }
model: { score: decile_score }
threshold: 5
sensitive: [race, sex]
analyses:
  performance: {}
  fairness: { bootstrap: 100, seed: 7, reference: { race: Caucasian } }
policy:
  - { metric: demographic_parity_ratio, attribute: race, min: 0.8 }
  - { metric: impact_ratio, attribute: "race & sex", min: 0.8 }
  - { metric: roc_auc, min: 0.6 }
`;

function errorOf(text: string): AppError {
  try {
    parseSpecText(text, "x.audit.yaml");
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
}

describe("parseSpecText", () => {
  it("parses a valid spec and fills defaults", () => {
    const s = parseSpecText(VALID, "x.audit.yaml");
    expect(s.dataset.positive).toBe("1"); // numbers become strings: labels compare as strings
    expect(s.intersections).toBe(true);
    expect(intersectionNames(s)).toEqual(["race & sex"]);
    expect(s.analyses.fairness).toMatchObject({ bootstrap: 100, seed: 7, confidence: 0.95, tau: 0.8, min_group_size: 0 });
    expect(s.analyses.performance).toMatchObject({ bootstrap: 1000 });
    expect(s.model).toEqual({ score: "decile_score", probability: false });
  });

  it("runs both analyses when none are listed", () => {
    const s = parseSpecText(VALID.replace(/analyses:[\s\S]*?policy:/, "policy:"), "x.audit.yaml");
    expect(Object.keys(s.analyses).sort()).toEqual(["fairness", "performance"]);
  });

  it("names the line of an unknown key", () => {
    const e = errorOf(VALID.replace("threshold: 5", "treshold: 5"));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toMatch(/unknown key "treshold"/);
    expect(e.location.file).toBe("x.audit.yaml");
  });

  it("rejects an unknown metric with the list of known ones, at its line", () => {
    const e = errorOf(VALID.replace("metric: roc_auc", "metric: roc_aucc"));
    expect(e.message).toMatch(/unknown metric "roc_aucc" without an attribute; known: accuracy/);
    expect(e.location).toMatchObject({ line: 12, field: "policy.2.metric" });
  });

  it("rejects a policy on an attribute that is not sensitive", () => {
    const e = errorOf(VALID.replace("attribute: race, min", "attribute: age, min"));
    expect(e.message).toMatch(/"age" is not a sensitive attribute or intersection/);
    expect(e.location.line).toBe(10);
  });

  it("rejects a check without bounds and a model without path or score", () => {
    expect(errorOf(VALID.replace(", min: 0.6 }", " }")).message).toMatch(/needs min, max or both/);
    expect(errorOf(VALID.replace("model: { score: decile_score }", "model: { file: m }")).message).toMatch(/model needs either/);
  });

  it("reports YAML syntax errors with their line", () => {
    const e = errorOf("name: x\ndataset: { path: a.csv\n");
    expect(e.message).toMatch(/invalid YAML/);
    expect(e.location.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects explainability analyses in score mode, naming the analysis", () => {
    const e = errorOf(VALID.replace("  fairness: { bootstrap: 100", "  shap: {}\n  fairness: { bootstrap: 100"));
    expect(e.message).toMatch(/shap needs a model \(model: \{ path: DIR \}\)/);
    expect(e.location.field).toBe("analyses.shap");
  });

  it("accepts per-feature policy checks only with a feature and its analysis", () => {
    const withModel = VALID.replace("model: { score: decile_score }", "model: { path: m }").replace("  performance: {}", "  performance: {}\n  shap: { rows: [0, 5, 9], samples: 500 }");
    const s = parseSpecText(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: mean_abs_shap, feature: race, max: 0.01 }"), "x.audit.yaml");
    expect(s.analyses.shap).toMatchObject({ rows: [0, 5, 9], samples: 500, link: "identity", sampling: "kernel", background: { method: "sample", size: 100 } });
    expect(errorOf(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: mean_abs_shap, max: 0.01 }")).message).toMatch(/name the feature/);
    expect(errorOf(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: permutation_importance, feature: race, max: 0.01 }")).message).toMatch(/needs analyses\.permutation_importance/);
  });

  it("validates robustness options and per-ε policy checks", () => {
    const withModel = VALID.replace("model: { score: decile_score }", "model: { path: m }").replace("  performance: {}", "  performance: {}\n  robustness: { epsilons: [0.1, 0.5], immutable: [age] }");
    const s = parseSpecText(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: flip_rate, epsilon: 0.1, max: 0.05 }\n  - { metric: robustness_disparity, attribute: sex, epsilon: 0.5, max: 0.1 }"), "x.audit.yaml");
    expect(s.analyses.robustness).toMatchObject({ attack: "pgd", norm: "linf", steps: 20, restarts: 1, categorical: "frozen", rows: 2000, immutable: ["age"] });
    expect(errorOf(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: flip_rate, epsilon: 0.3, max: 0.05 }")).message).toMatch(/needs an epsilon from analyses\.robustness\.epsilons \(0\.1, 0\.5\)/);
    expect(errorOf(withModel.replace("  - { metric: roc_auc, min: 0.6 }", "  - { metric: robustness_disparity, epsilon: 0.1, max: 0.05 }")).message).toMatch(/needs an attribute/);
    expect(errorOf(VALID.replace("  performance: {}", "  performance: {}\n  robustness: {}")).message).toMatch(/robustness needs a model/);
  });

  it("rejects a reference for an attribute that is not sensitive", () => {
    expect(errorOf(VALID.replace("reference: { race: Caucasian }", "reference: { age: old }")).message).toMatch(/"age" is not a sensitive attribute/);
  });
});

describe("SHAP method and KernelSHAP settings", () => {
  const withShap = (shap: string) => `name: m
dataset: { path: data.csv, label: y, positive: 1 }
model: { path: models/v1 }
sensitive: [sex]
analyses:
  shap: ${shap}
`;
  it("fills KernelSHAP's defaults for auto and kernel, and leaves them out for tree", () => {
    expect(parseSpecText(withShap("{}"), "x.audit.yaml").analyses.shap).toMatchObject({ method: "auto", link: "identity", samples: "auto", sampling: "kernel" });
    const tree = parseSpecText(withShap("{ method: tree, rows: 50 }"), "x.audit.yaml").analyses.shap!;
    expect(tree).toMatchObject({ method: "tree", rows: 50 });
    expect(tree.link).toBeUndefined();
    expect(tree.samples).toBeUndefined();
  });
  it.each(["link: logit", "samples: 500", "sampling: leverage"])("refuses %s together with method: tree, naming the line", (setting) => {
    const e = errorOf(withShap(`{ method: tree, ${setting} }`));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toMatch(new RegExp(`x\\.audit\\.yaml, line 6.*${setting.split(":")[0]} applies to KernelSHAP only`));
  });
  it("accepts the boundary attack and refuses an unknown one", () => {
    expect(parseSpecText(withShap("{}").replace("  shap: {}", "  robustness: { attack: boundary, queries: 500 }"), "x.audit.yaml").analyses.robustness).toMatchObject({ attack: "boundary", queries: 500 });
    expect(errorOf(withShap("{}").replace("  shap: {}", "  robustness: { attack: hopskip }")).message).toMatch(/boundary/);
  });
});

describe("bounded specs: every string and list has a cap, and messages stay short", () => {
  const base = { name: "t", dataset: { path: "d.csv", label: "y", positive: "1" }, model: { path: "m" }, sensitive: ["g"] };
  const refuse = (spec: unknown) => {
    try {
      validateSpec(spec);
    } catch (e) {
      return e as AppError;
    }
    throw new Error("accepted");
  };

  it("refuses 20,000 sensitive attributes or policy checks with a short message", () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `col_${i}`);
    const a = refuse({ ...base, sensitive: names });
    expect(a.userMessage).toBe("at most 50 sensitive attributes");
    expect(a.location.field).toBe("sensitive");
    const b = refuse({ ...base, policy: names.map((n) => ({ metric: "fpr", attribute: n, max: 1 })) });
    expect(b.userMessage).toBe("at most 200 policy checks");
    expect(b.message.length).toBeLessThan(300);
  });

  it("caps free text that goes into every PDF, and KernelSHAP's samples", () => {
    expect(refuse({ ...base, purpose: "x".repeat(5001) }).userMessage).toBe("at most 5000 characters");
    expect(refuse({ ...base, analyses: { shap: { samples: 2_000_000 } } }).location.field).toBe("analyses.shap.samples");
    expect(validateSpec({ ...base, analyses: { shap: { samples: 1_000_000 } } }).analyses.shap).toMatchObject({ samples: 1_000_000 });
  });

  it("takes a KernelSHAP target error (0 < e ≤ 1, optional max) and refuses anything else in it", () => {
    expect(validateSpec({ ...base, analyses: { shap: { samples: { target_error: 3.8e-4 } } } }).analyses.shap).toMatchObject({ samples: { target_error: 3.8e-4 } });
    expect(validateSpec({ ...base, analyses: { shap: { samples: { target_error: 0.01, max: 5000 } } } }).analyses.shap).toMatchObject({ samples: { target_error: 0.01, max: 5000 } });
    expect(refuse({ ...base, analyses: { shap: { samples: { target_error: 0 } } } }).location.field).toMatch(/^analyses\.shap\.samples/);
    expect(refuse({ ...base, analyses: { shap: { samples: { target_error: 2 } } } }).location.field).toMatch(/^analyses\.shap\.samples/);
    expect(refuse({ ...base, analyses: { shap: { samples: { target: 0.01 } } } }).location.field).toMatch(/^analyses\.shap\.samples/);
    expect(refuse({ ...base, analyses: { shap: { samples: { target_error: 0.01, max: 2 } } } }).location.field).toMatch(/^analyses\.shap\.samples/);
  });

  it("names at most 10 unknown keys and 20 attributes in a message", () => {
    const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`typo_${i}`, 1]));
    const e = refuse({ ...base, ...keys });
    expect(e.userMessage).toMatch(/^unknown keys "typo_0", .*"typo_9" and 4990 more$/);
    const many = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const f = refuse({ ...base, sensitive: many, intersections: false, policy: [{ metric: "fpr", attribute: "nope", max: 1 }] });
    expect(f.userMessage).toBe(`"nope" is not a sensitive attribute or intersection (${many.slice(0, 20).join(", ")} and 30 more)`);
  });
});
