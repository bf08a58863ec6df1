// The audit spec: one zod schema for YAML files, the app's forms, the REST API and jobs.
// Keys are snake_case as written in `audits/*.audit.yaml`. Paths are as written (relative to
// the spec file); resolving them is the loader's job.

import { z } from "zod";
import { IMPORTANCE_SCORINGS } from "../engine/importance/permutation";
import { ATTRIBUTE_METRIC_IDS, DEFAULTS, FEATURE_METRIC_IDS, GROUP_METRIC_IDS, metricLevel, PERFORMANCE_METRIC_IDS, POSITIVE_DECISIONS, ROBUSTNESS_METRIC_IDS } from "../vocabulary";

const ZScalarString = z.union([z.string().max(1000), z.number(), z.boolean()]).transform(String);

/** Length caps: every string and list a spec holds is bounded (they go into every report and PDF). */
export const SPEC_LIMITS = { name: 200, text: 5000, path: 1000, column: 500, sensitive: 50, intersections: 50, intersectionSize: 10, policy: 200, immutable: 2000, shapSamples: 1_000_000 } as const;
const ZColumn = z.string().min(1).max(SPEC_LIMITS.column);
const ZText = z.string().max(SPEC_LIMITS.text, `at most ${SPEC_LIMITS.text} characters`);

/** At most `n` names of a list in a message, then how many more (messages stay short for any list). */
function some(xs: Iterable<string>, n = 20): string {
  const all = [...xs];
  return all.length <= n ? all.join(", ") : `${all.slice(0, n).join(", ")} and ${all.length - n} more`;
}

export const ZDatasetRef = z
  .object({
    path: z.string().min(1).max(SPEC_LIMITS.path),
    label: ZColumn,
    positive: ZScalarString,
    /** Column of non-negative sample weights. */
    weight: ZColumn.optional(),
    /** Display name (defaults to the file name). */
    name: z.string().min(1).max(SPEC_LIMITS.name).optional(),
  })
  .strict();

export const ZModelRef = z.union([
  z
    .object({
      path: z.string().min(1).max(SPEC_LIMITS.path),
      /** Model name in the app (default: the project's name). */
      name: z.string().min(1).max(SPEC_LIMITS.name).optional(),
      /** Version label (default: the directory name). */
      version: z.string().min(1).max(SPEC_LIMITS.name).optional(),
    })
    .strict(),
  z
    .object({
      score: ZColumn,
      /** The score is a probability of the positive class (enables log loss, Brier, calibration). */
      probability: z.boolean().default(false),
      name: z.string().min(1).max(SPEC_LIMITS.name).optional(),
      /** Version label (default: the score column's name). */
      version: z.string().min(1).max(SPEC_LIMITS.name).optional(),
    })
    .strict(),
]);

export const ZPerformanceOptions = z
  .object({
    bootstrap: z.number().int().min(0).max(100_000).default(DEFAULTS.bootstrap),
    seed: z.number().int().default(0),
    confidence: z.number().gt(0.5).lt(1).default(DEFAULTS.confidence),
  })
  .strict();

export const ZFairnessOptions = z
  .object({
    bootstrap: z.number().int().min(0).max(100_000).default(DEFAULTS.bootstrap),
    seed: z.number().int().default(0),
    confidence: z.number().gt(0.5).lt(1).default(DEFAULTS.confidence),
    /** Reference group per attribute (Aequitas disparities); default: the largest group. */
    reference: z.record(z.string(), ZScalarString).default({}),
    min_group_size: z.number().int().min(0).default(0),
    /** Groups below this share of the rows (of the total weight) are reported but left out of
     *  aggregates and impact ratios (NYC LL144 allows excluding categories under 2%). */
    min_group_share: z.number().min(0).lt(1).default(0),
    /** Aequitas rule: a disparity passes when tau ≤ d ≤ 1/tau. */
    tau: z.number().gt(0).lte(1).default(DEFAULTS.tau),
  })
  .strict();

export const ZPermutationImportanceOptions = z
  .object({
    scoring: z.enum(IMPORTANCE_SCORINGS).default("roc_auc"),
    repeats: z.number().int().min(1).max(1000).default(10),
    seed: z.number().int().default(0),
    /** Rows per repeat: a count, or a fraction of the rows (0, 1]. Default: all rows up to 100,000. */
    max_samples: z.number().positive().optional(),
  })
  .strict();

const ZShapOptionsObject = z
  .object({
    /** "auto": TreeSHAP for tree ensembles, KernelSHAP otherwise; or force one. */
    method: z.enum(["auto", "kernel", "tree"]).default("auto"),
    /** KernelSHAP only: the scale of v(S) (default identity, i.e. probabilities). */
    link: z.enum(["identity", "logit"]).optional(),
    background: z
      .union([
        z.object({ method: z.literal("sample"), size: z.number().int().min(1).max(10_000).default(100) }).strict(),
        z.object({ method: z.literal("kmeans"), k: z.number().int().min(1).max(1000).default(50) }).strict(),
        z.object({ path: z.string().min(1).max(SPEC_LIMITS.path) }).strict(),
      ])
      .default({ method: "sample", size: 100 }),
    /** How many rows to explain (a seeded sample), or which (0-based data row indices). */
    rows: z.union([z.number().int().min(1).max(100_000), z.array(z.number().int().min(0)).min(1).max(100_000)]).default(200),
    /** KernelSHAP only. "auto": exact when 2^M − 2 ≤ 2 × (2M + 2048); "exact"; a coalition budget; or
     *  { target_error: e, max?: n }: sampled in rounds until each row's estimated relative squared
     *  error Σse²/Σφ² is at most e (within max coalitions; default min(2^M − 2, 8 × (2M + 2048))). */
    samples: z
      .union([
        z.literal("auto"),
        z.literal("exact"),
        z.number().int().min(4).max(SPEC_LIMITS.shapSamples),
        z.object({ target_error: z.number().positive().max(1), max: z.number().int().min(4).max(SPEC_LIMITS.shapSamples).optional() }).strict(),
      ])
      .optional(),
    /** KernelSHAP only: how sampled coalitions are drawn. */
    sampling: z.enum(["kernel", "leverage"]).optional(),
    seed: z.number().int().default(0),
  })
  .strict();

/** SHAP options; KernelSHAP's settings are refused with method: tree and filled in otherwise. */
export const ZShapOptions = ZShapOptionsObject.superRefine((o, ctx) => {
  if (o.method !== "tree") return;
  for (const key of ["link", "samples", "sampling"] as const) {
    if (o[key] !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `${key} applies to KernelSHAP only; TreeSHAP is exact and explains the model's margin (log-odds): remove ${key}, or use method: kernel`,
      });
    }
  }
}).transform((o) =>
  o.method === "tree"
    ? o
    : { ...o, link: o.link ?? ("identity" as const), samples: o.samples ?? ("auto" as const), sampling: o.sampling ?? ("kernel" as const) },
);

export const ZRobustnessOptions = z
  .object({
    /** pgd and fgsm need gradients (TF.js models, differentiable ONNX graphs); random and
     *  boundary only query the model's decisions (any model, tree ensembles included). */
    attack: z.enum(["pgd", "fgsm", "random", "boundary"]).default("pgd"),
    norm: z.enum(["linf", "l2"]).default("linf"),
    /** Attack budgets in standard units (multiples of each feature's standard deviation). */
    epsilons: z.array(z.number().positive().max(100)).min(1).max(20).default([0.05, 0.1, 0.25, 0.5]),
    steps: z.number().int().min(1).max(1000).default(20),
    restarts: z.number().int().min(1).max(100).default(1),
    /** Model inputs (raw columns) that never move, besides the sensitive attributes. */
    immutable: z.array(ZColumn).max(SPEC_LIMITS.immutable).default([]),
    categorical: z.enum(["frozen", "free"]).default("frozen"),
    /** Rows attacked (a seeded sample). */
    rows: z.number().int().min(1).max(1_000_000).default(2000),
    seed: z.number().int().default(0),
    /** Gradient-free attacks (random, boundary): model queries per row. */
    queries: z.number().int().min(10).max(100_000).default(200),
  })
  .strict();

export const ZPolicyCheck = z
  .object({
    metric: z.string().min(1).max(100),
    attribute: z.string().min(1).max(SPEC_LIMITS.column * SPEC_LIMITS.intersectionSize).optional(),
    group: ZScalarString.optional(),
    /** For per-feature metrics (permutation_importance, mean_abs_shap): the raw column. */
    feature: ZColumn.optional(),
    /** For robustness metrics: the attack budget ε (one of analyses.robustness.epsilons). */
    epsilon: z.number().positive().optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict()
  .refine((p) => p.min !== undefined || p.max !== undefined, { message: "a policy check needs min, max or both" })
  .refine((p) => p.group === undefined || p.attribute !== undefined, { message: "a group needs its attribute" });

export const ZAuditSpec = z
  .object({
    name: z.string().min(1).max(SPEC_LIMITS.name),
    description: ZText.optional(),
    /** Project (use case) the audit belongs to in the app; default: the spec's name. */
    project: z.string().min(1).max(SPEC_LIMITS.name).optional(),
    purpose: ZText.optional(),
    intended_use: ZText.optional(),
    out_of_scope: ZText.optional(),
    dataset: ZDatasetRef,
    model: ZModelRef,
    /** Decision: positive when score ≥ threshold. Default 0.5 for probabilities; for a raw score
     *  without a threshold, LL144's scoring rate rule (score > median of all scores). */
    threshold: z.number().finite().optional(),
    /** What ŷ = 1 means for the person: benefit (hired, approved) or harm (flagged, high risk,
     *  denied). Decides which group is the disadvantaged one (METRICS.md §2.1). */
    positive_decision: z.enum(POSITIVE_DECISIONS).default(DEFAULTS.positiveDecision),
    sensitive: z.array(ZColumn).min(1).max(SPEC_LIMITS.sensitive, `at most ${SPEC_LIMITS.sensitive} sensitive attributes`),
    /** true: the intersection of all sensitive attributes; or explicit lists of attributes. */
    intersections: z.union([z.boolean(), z.array(z.array(ZColumn).min(2).max(SPEC_LIMITS.intersectionSize)).max(SPEC_LIMITS.intersections)]).default(true),
    analyses: z
      .object({
        performance: ZPerformanceOptions.optional(),
        fairness: ZFairnessOptions.optional(),
        permutation_importance: ZPermutationImportanceOptions.optional(),
        shap: ZShapOptions.optional(),
        robustness: ZRobustnessOptions.optional(),
      })
      .strict()
      .default({ performance: ZPerformanceOptions.parse({}), fairness: ZFairnessOptions.parse({}) }),
    policy: z.array(ZPolicyCheck).max(SPEC_LIMITS.policy, `at most ${SPEC_LIMITS.policy} policy checks`).default([]),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const sensitive = new Set(spec.sensitive);
    if (sensitive.size !== spec.sensitive.length) ctx.addIssue({ code: "custom", path: ["sensitive"], message: "sensitive attributes must be distinct" });
    if (Array.isArray(spec.intersections)) {
      spec.intersections.forEach((combo, i) => {
        for (const a of combo) {
          if (!sensitive.has(a)) ctx.addIssue({ code: "custom", path: ["intersections", i], message: `"${a}" is not one of the sensitive attributes` });
        }
      });
    }
    const attributes = new Set([...spec.sensitive, ...intersectionNames(spec)]);
    for (const a of Object.keys(spec.analyses.fairness?.reference ?? {})) {
      if (!attributes.has(a)) ctx.addIssue({ code: "custom", path: ["analyses", "fairness", "reference", a], message: `"${a}" is not a sensitive attribute or intersection` });
    }
    for (const analysis of ["permutation_importance", "shap", "robustness"] as const) {
      if (spec.analyses[analysis] && "score" in spec.model) {
        ctx.addIssue({
          code: "custom",
          path: ["analyses", analysis],
          message: `${analysis} needs a model (model: { path: DIR }); this spec audits a score column, which cannot be re-evaluated on changed inputs`,
        });
      }
    }
    spec.policy.forEach((p, i) => {
      if (ROBUSTNESS_METRIC_IDS.includes(p.metric)) {
        const r = spec.analyses.robustness;
        if (!r) {
          ctx.addIssue({ code: "custom", path: ["policy", i], message: "this check needs analyses.robustness" });
          return;
        }
        const perEpsilon = p.metric !== "median_min_epsilon" && p.metric !== "mean_min_epsilon";
        if (perEpsilon && (p.epsilon === undefined || !r.epsilons.includes(p.epsilon))) {
          ctx.addIssue({ code: "custom", path: ["policy", i, "epsilon"], message: `${p.metric} needs an epsilon from analyses.robustness.epsilons (${some(r.epsilons.map(String))})` });
        }
        if (!perEpsilon && p.epsilon !== undefined) ctx.addIssue({ code: "custom", path: ["policy", i, "epsilon"], message: `${p.metric} has no epsilon` });
        if (p.metric === "robustness_disparity" && p.attribute === undefined) ctx.addIssue({ code: "custom", path: ["policy", i, "attribute"], message: "robustness_disparity needs an attribute" });
        if ((p.metric === "robust_accuracy" || p.metric === "adversarial_accuracy") && p.attribute !== undefined) {
          ctx.addIssue({ code: "custom", path: ["policy", i, "attribute"], message: `${p.metric} is computed over all attacked rows; it has no attribute` });
        }
        if (p.attribute !== undefined && !attributes.has(p.attribute)) {
          ctx.addIssue({ code: "custom", path: ["policy", i, "attribute"], message: `"${p.attribute}" is not a sensitive attribute or intersection (${some(attributes)})` });
        }
        return;
      }
      if (p.epsilon !== undefined) ctx.addIssue({ code: "custom", path: ["policy", i, "epsilon"], message: `${p.metric} has no epsilon` });
      if (FEATURE_METRIC_IDS.includes(p.metric)) {
        if (p.feature === undefined) ctx.addIssue({ code: "custom", path: ["policy", i, "feature"], message: `${p.metric} is one value per feature; name the feature` });
        const analysis = p.metric === "mean_abs_shap" ? "shap" : "permutation_importance";
        if (!spec.analyses[analysis]) ctx.addIssue({ code: "custom", path: ["policy", i], message: `this check needs analyses.${analysis}` });
        return;
      }
      if (p.feature !== undefined) ctx.addIssue({ code: "custom", path: ["policy", i, "feature"], message: `${p.metric} has no feature` });
      const level = metricLevel(p.metric, p.attribute !== undefined);
      if (level === null) {
        const known = [...(p.attribute !== undefined ? [...ATTRIBUTE_METRIC_IDS, ...GROUP_METRIC_IDS] : [...PERFORMANCE_METRIC_IDS, ...FEATURE_METRIC_IDS]), ...ROBUSTNESS_METRIC_IDS];
        ctx.addIssue({
          code: "custom",
          path: ["policy", i, "metric"],
          message: `unknown metric "${p.metric}"${p.attribute !== undefined ? " for an attribute" : " without an attribute"}; known: ${some(known, 60)}`,
        });
      }
      if (p.attribute !== undefined && !attributes.has(p.attribute)) {
        ctx.addIssue({ code: "custom", path: ["policy", i, "attribute"], message: `"${p.attribute}" is not a sensitive attribute or intersection (${some(attributes)})` });
      }
      if (level === "attribute" && p.group !== undefined) {
        ctx.addIssue({ code: "custom", path: ["policy", i, "group"], message: `${p.metric} is one value per attribute; it has no group` });
      }
      if ((level === "performance" || p.attribute !== undefined) && !spec.analyses[level === "performance" ? "performance" : "fairness"]) {
        ctx.addIssue({ code: "custom", path: ["policy", i], message: `this check needs analyses.${level === "performance" ? "performance" : "fairness"}` });
      }
    });
  });

export type TAuditSpec = z.infer<typeof ZAuditSpec>;
export type TAuditSpecInput = z.input<typeof ZAuditSpec>;
export type TPolicyCheck = z.infer<typeof ZPolicyCheck>;
export type TShapOptions = z.infer<typeof ZShapOptions>;
export type TPermutationImportanceOptions = z.infer<typeof ZPermutationImportanceOptions>;
export type TRobustnessOptions = z.infer<typeof ZRobustnessOptions>;

/** The attribute combinations the spec asks to intersect. */
export function intersectionSets(spec: Pick<TAuditSpec, "sensitive" | "intersections">): string[][] {
  if (spec.intersections === true) return spec.sensitive.length >= 2 ? [spec.sensitive] : [];
  if (spec.intersections === false) return [];
  return spec.intersections;
}

/** Intersection attribute names as they appear in reports ("race & sex"). */
export function intersectionNames(spec: Pick<TAuditSpec, "sensitive" | "intersections">): string[] {
  return intersectionSets(spec).map((s) => s.join(" & "));
}

export function isScoreModel(m: TAuditSpec["model"]): m is Extract<TAuditSpec["model"], { score: string }> {
  return "score" in m;
}
