// The audit report: what the engine produces, the database stores, and the CLI, app and PDF
// render. Plain JSON (no typed arrays, no Infinity). Bump REPORT_SCHEMA_VERSION on any change
// that a reader of stored reports must know about.

import type { TAuditSpec } from "../spec/schema";
import type { PositiveDecision } from "../vocabulary";

export const REPORT_SCHEMA_VERSION = 1;
/** The newest version of ../shared/METRICS.md this engine follows. */
export const DEFINITIONS_VERSION = 2;

/** The definitions version a report follows: the newest (2: positive_decision, favourable rates,
 *  min_group_share, TreeSHAP and the boundary attack; it changed none of version 1's definitions). */
export function definitionsFor(_sections: unknown): 1 | 2 {
  return DEFINITIONS_VERSION;
}

export type Interval = [number, number];

/** What was audited: a model of one of the supported formats, or a score column. */
export const MODEL_KINDS = ["tfjs-layers", "onnx", "xgboost-json", "score"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const MODEL_KIND_LABEL: Record<ModelKind, string> = {
  "tfjs-layers": "TensorFlow.js",
  onnx: "ONNX",
  "xgboost-json": "XGBoost JSON",
  score: "score column",
};

/** One number of the report, addressed by METRICS.md id (+ attribute, group, feature). */
export interface FlatMetric {
  id: string;
  attribute?: string;
  group?: string;
  feature?: string;
  /** Attack budget, for robustness metrics (standard units). */
  epsilon?: number;
  value: number | null;
  ci?: Interval | null;
}

export interface ReportWarning {
  code: string;
  message: string;
  attribute?: string;
  group?: string;
  column?: string;
}

export interface RateValue {
  value: number | null;
  /** Weighted denominator of the rate (0 → value null). */
  denominator: number;
  ci?: Interval | null;
}

export interface DisparityValue {
  /** metric_g / metric_reference; null when either is undefined or the reference is 0. */
  value: number | null;
  ci?: Interval | null;
  /** Aequitas rule τ ≤ disparity ≤ 1/τ; null when the disparity is null. */
  pass: boolean | null;
}

export interface GroupReport {
  group: string;
  /** Rows in the group. */
  n: number;
  /** Sum of sample weights (equals n without weights). */
  weight: number;
  /** n < 30 */
  small: boolean;
  /** Left out of aggregates and impact ratios (min_group_size, min_group_share). */
  excluded: boolean;
  /** The group holds rows with a missing attribute value. */
  unknown: boolean;
  reference: boolean;
  confusion: { tp: number; fp: number; tn: number; fn: number };
  rates: Record<string, RateValue>;
  disparities: Record<string, DisparityValue>;
  impactRatio: { value: number | null; ci?: Interval | null };
}

export interface AggregateValue {
  value: number | null;
  ci?: Interval | null;
  /** Groups with a defined value that entered the aggregate. */
  groups: number;
}

export interface AttributeReport {
  attribute: string;
  columns: string[];
  intersection: boolean;
  reference: { group: string | null; source: "spec" | "largest" };
  groups: GroupReport[];
  aggregates: Record<string, AggregateValue>;
  excluded: Array<{ group: string; n: number; reason: string }>;
}

/** Score histograms by group and label, so views can move the threshold without the rows. */
export interface ScoreDistribution {
  /** Ascending bin lower edges; bin k holds scores in [edges[k], edges[k+1]). The audit's threshold is an edge. */
  edges: number[];
  /** Whether every distinct score has its own bin (exact) or scores were binned (100 equal-width bins). */
  exact: boolean;
  attributes: Array<{ attribute: string; groups: Array<{ group: string; pos: number[]; neg: number[] }> }>;
}

export interface FairnessSection {
  tau: number;
  bootstrap: { resamples: number; seed: number; confidence: number; method: string };
  minGroupSize: number;
  /** Absent in reports before definitions 2: 0. */
  minGroupShare?: number;
  attributes: AttributeReport[];
  distribution?: ScoreDistribution;
}

export interface PerformanceSection {
  rows: number;
  weight: number;
  confusion: { tp: number; fp: number; tn: number; fn: number };
  metrics: Record<string, { value: number | null; ci?: Interval | null }>;
  roc: Array<{ threshold: number | null; fpr: number; tpr: number }>;
  calibration: Array<{ lo: number; hi: number; count: number; meanScore: number | null; observedRate: number | null }> | null;
  aucInterval: { method: string } | null;
  bootstrap: { resamples: number; seed: number; confidence: number } | null;
}

export interface PermutationImportanceSection {
  scoring: string;
  /** "drop in score" or "rise in loss": what a positive importance means. */
  direction: string;
  repeats: number;
  seed: number;
  /** Rows per repeat (a subsample when smaller than the dataset). */
  rows: number;
  subsampled: boolean;
  /** Score of the unpermuted model, per repeat. */
  baselines: number[];
  features: Array<{ feature: string; mean: number; std: number; values: number[] }>;
}

export interface ShapSection {
  /** KernelSHAP (METRICS.md §4) or interventional TreeSHAP (§4.1). Absent in older reports: kernel. */
  method?: "kernel" | "tree";
  /** What φ and φ₀ measure. TreeSHAP: the model's margin (log-odds; probability for forests that
   *  average probabilities); KernelSHAP: its link (identity → probability, logit → log-odds).
   *  Absent in older reports: from link. */
  units?: "probability" | "log-odds";
  /** KernelSHAP's link; TreeSHAP reports "logit" for log-odds margins, "identity" otherwise. */
  link: "identity" | "logit";
  /** exact for TreeSHAP and exact KernelSHAP. */
  mode: "exact" | "sampled";
  /** KernelSHAP's coalition sampling (TreeSHAP: "kernel", unused). */
  sampling: "kernel" | "leverage";
  /** KernelSHAP's coalitions and budget (0 for TreeSHAP). */
  coalitions: number;
  budget: number;
  completeSizes: number[];
  /**
   * KernelSHAP with samples: { target_error }: sampled in rounds until each row's estimated
   * relative squared error Σse²/Σφ² met the target (budget = max coalitions; coalitions = the most
   * any row used). Absent otherwise.
   */
  target?: {
    error: number;
    max: number;
    rounds: number;
    coalitionsPerRow: { min: number; median: number; max: number };
    rowsMet: number;
    estimatedError: { mean: number; max: number };
  };
  /** TreeSHAP: the ensemble explained. */
  trees?: { count: number; maxDepth: number; leaves: number; source: string };
  seed: number;
  background: { method: "sample" | "kmeans" | "file"; rows: number; path?: string };
  explained: { method: "sample" | "rows"; rows: number };
  /** Players: raw columns, in manifest order. */
  features: string[];
  /** φ₀ = v(∅) in link space. */
  baseValue: number;
  global: Array<{ feature: string; meanAbs: number; se: number }>;
  /** Per explained row: data row (0-based), file line, f(x), link(f(x)) (TreeSHAP: the margin),
   *  φ, SE(φ) (0 when exact), raw values. */
  rows: Array<{
    row: number;
    line: number;
    prediction: number;
    output: number;
    phi: number[];
    se: number[];
    additivityError: number;
    values: Array<number | string | null>;
  }>;
  maxAdditivityError: number;
  /** Model rows evaluated and the throughput of that evaluation. */
  evaluations: number;
  evaluationsPerSecond: number;
  threads: number;
}

export interface MinEpsilonStats {
  /** Rows with a finite minimal ε (flipped at the largest ε). */
  flipped: number;
  median: number | null;
  mean: number | null;
  q1: number | null;
  q3: number | null;
}

export interface RobustnessSection {
  attack: "fgsm" | "pgd" | "random" | "boundary";
  /** Where the gradients came from (pgd, fgsm), e.g. the ONNX graph rebuilt as TensorFlow.js. */
  gradientSource?: string;
  norm: "linf" | "l2";
  epsilons: number[];
  steps: number;
  restarts: number;
  stepSize: string;
  seed: number;
  categorical: "frozen" | "free";
  /** The minimal ε is an upper bound (gradient-free search), not the attack's estimate. */
  upperBound: boolean;
  queries: number | null;
  tolerance: number;
  /** Rows attacked (a seeded sample). */
  rows: number;
  threatModel: Array<{
    feature: string;
    kind: string;
    mutable: boolean;
    reason?: string;
    sigma?: number;
    min?: number;
    max?: number;
  }>;
  cleanAccuracy: number;
  overall: Array<{ epsilon: number; flipRate: number; robustAccuracy: number; adversarialAccuracy: number | null; flipped: number }>;
  minEpsilon: MinEpsilonStats;
  attributes: Array<{
    attribute: string;
    groups: Array<{ group: string; n: number; small: boolean; flipRates: number[]; minEpsilon: MinEpsilonStats }>;
    /** Per ε: max − min flip rate across groups. */
    disparity: Array<number | null>;
  }>;
  fragile: Array<{
    row: number;
    line: number;
    groups: Record<string, string>;
    score: number;
    adversarialScore: number;
    minEpsilon: number;
    changes: Array<{ feature: string; from: number | string | null; to: number | string | null; delta: number | null }>;
  }>;
  gradients: number;
  predictions: number;
  rowsPerSecond: number;
  threads: number;
}

export interface PolicyResult {
  metric: string;
  attribute?: string;
  group?: string;
  feature?: string;
  epsilon?: number;
  min?: number;
  max?: number;
  value: number | null;
  pass: boolean;
  /** How the value was chosen (e.g. worst group) or why it failed without a value. */
  note?: string;
}

export interface FileHash {
  name: string;
  sha256: string;
  bytes: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  definitions: 1 | 2;
  id: string;
  createdAt: string;
  engine: {
    name: "assay";
    version: string;
    backend: string;
    tfjsVersion: string | null;
    node: string;
    /** The GPU adapter of the webgpu backend (software: a CPU rasteriser such as lavapipe, used only when asked for). */
    adapter?: { vendor: string; architecture: string; description: string; software: boolean };
  };
  spec: TAuditSpec;
  dataset: {
    path: string;
    sha256: string;
    bytes: number;
    rows: number;
    columns: Array<{ name: string; type: string; missing: number; distinct: number; min?: number; max?: number }>;
    label: { column: string; positive: string; negative: string | null; positives: number; negatives: number };
    weight: { column: string; total: number } | null;
  };
  model: {
    kind: ModelKind;
    path?: string;
    files?: FileHash[];
    scoreColumn?: string;
    outputType: string;
    /** True when scores are probabilities (log loss, Brier and calibration apply). */
    probability: boolean;
    inputs?: number;
    features?: string[];
    /** How the output becomes P(positive), e.g. ZipMap "output_probability" class "1". */
    output?: string;
    /** Tree ensembles: their size and where they came from. */
    trees?: { count: number; maxDepth: number; leaves: number; source: string; units: "log-odds" | "probability" };
    /** How attack gradients are obtained, or why there are none. */
    gradients?: string;
    /** onnxruntime-node version (ONNX models). */
    runtime?: string;
  };
  /** positiveDecision: what ŷ = 1 means for the person (absent in older reports: benefit). */
  decision: { threshold: number; rule: string; positiveDecision?: PositiveDecision };
  warnings: ReportWarning[];
  timings: Array<{ analysis: string; ms: number }>;
  sections: {
    performance?: PerformanceSection;
    fairness?: FairnessSection;
    permutationImportance?: PermutationImportanceSection;
    shap?: ShapSection;
    robustness?: RobustnessSection;
  };
  metrics: FlatMetric[];
  policy: PolicyResult[];
  passed: boolean;
}
