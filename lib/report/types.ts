// The audit report: what the engine produces, the database stores, and the CLI, app and PDF
// render. Plain JSON (no typed arrays, no Infinity). Bump REPORT_SCHEMA_VERSION on any change
// that a reader of stored reports must know about.

import type { TAuditSpec } from "../spec/schema";

export const REPORT_SCHEMA_VERSION = 1;
export const DEFINITIONS_VERSION = 1;

export type Interval = [number, number];

/** One number of the report, addressed by METRICS.md id (+ attribute, group, feature). */
export interface FlatMetric {
  id: string;
  attribute?: string;
  group?: string;
  feature?: string;
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
  /** Left out of aggregates because n < min_group_size. */
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

export interface FairnessSection {
  tau: number;
  bootstrap: { resamples: number; seed: number; confidence: number; method: string };
  minGroupSize: number;
  attributes: AttributeReport[];
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

export interface PolicyResult {
  metric: string;
  attribute?: string;
  group?: string;
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
  definitions: typeof DEFINITIONS_VERSION;
  id: string;
  createdAt: string;
  engine: { name: "assay"; version: string; backend: string; tfjsVersion: string | null; node: string };
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
    kind: "tfjs-layers" | "score";
    path?: string;
    files?: FileHash[];
    scoreColumn?: string;
    outputType: string;
    /** True when scores are probabilities (log loss, Brier and calibration apply). */
    probability: boolean;
    inputs?: number;
    features?: string[];
  };
  decision: { threshold: number; rule: string };
  warnings: ReportWarning[];
  timings: Array<{ analysis: string; ms: number }>;
  sections: {
    performance?: PerformanceSection;
    fairness?: FairnessSection;
  };
  metrics: FlatMetric[];
  policy: PolicyResult[];
  passed: boolean;
}
