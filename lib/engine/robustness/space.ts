// The threat model of an attack in the model's encoded input space (METRICS.md §5): which
// inputs may move and how. A numeric feature j moves by at most ε·σ_j (σ_j its standard deviation
// in the data), stays within the observed [min_j, max_j], and is rounded when integer; immutable
// features (sensitive attributes and the spec's list) never move; categorical blocks (and binary
// inputs) are frozen unless `categorical: free`, when they may switch to another valid value.

import { invalidInput } from "../../errors";
import { getColumnOrThrow, type Table } from "../data/table";
import type { FeatureEncoder } from "../model/encode";
import type { TModelManifest } from "../model/manifest";

/** Plain arrays only: the space travels to worker threads. */
export interface AttackSpace {
  width: number;
  /** Per encoded input: 1 when it is a mutable numeric input. */
  numeric: Uint8Array;
  /** Per encoded input: encoded units per standard unit, k_j = σ_j / s_j (0 when not mutable numeric). */
  scale: Float32Array;
  /** Per encoded input: observed range in encoded units (0 where not a mutable numeric input). */
  lo: Float32Array;
  hi: Float32Array;
  /** Per encoded input: 1 when the raw feature is an integer (rounded after each step). */
  integer: Uint8Array;
  /** Per encoded input: the manifest's centre and scale, raw = v·s + μ. */
  mean: Float32Array;
  s: Float32Array;
  /** Free categorical blocks ([offset, width]; width 1 = a binary input). */
  blocks: Array<[number, number]>;
}

export interface ThreatFeature {
  feature: string;
  column: string;
  kind: "numeric" | "integer" | "categorical" | "binary";
  mutable: boolean;
  /** Why it cannot move. */
  reason?: "sensitive attribute" | "listed as immutable" | "categorical: frozen" | "constant in the data";
  /** Standard deviation in the data and observed range (numeric features). */
  sigma?: number;
  min?: number;
  max?: number;
  offset: number;
  width: number;
  categories?: string[];
  positive?: string;
}

export interface ThreatOptions {
  sensitive: readonly string[];
  immutable: readonly string[];
  categorical: "frozen" | "free";
}

export function buildAttackSpace(table: Table, manifest: TModelManifest, encoder: FeatureEncoder, o: ThreatOptions): { space: AttackSpace; features: ThreatFeature[] } {
  const d = encoder.width;
  const columns = new Set(manifest.features.map((f) => f.column));
  for (const name of o.immutable) {
    if (!columns.has(name)) {
      throw invalidInput(`"${name}" is not an input of the model (its inputs come from: ${[...columns].join(", ")})`, { field: "analyses.robustness.immutable" });
    }
  }
  const space: AttackSpace = {
    width: d,
    numeric: new Uint8Array(d),
    scale: new Float32Array(d),
    lo: new Float32Array(d),
    hi: new Float32Array(d),
    integer: new Uint8Array(d),
    mean: new Float32Array(d),
    s: new Float32Array(d).fill(1),
    blocks: [],
  };
  const features: ThreatFeature[] = [];
  let offset = 0;
  for (const f of manifest.features) {
    const col = getColumnOrThrow(table, f.column, `model input "${f.name}":`);
    const width = f.type === "categorical" ? f.categories.length : 1;
    const reason = o.sensitive.includes(f.column) ? "sensitive attribute" : o.immutable.includes(f.column) ? "listed as immutable" : undefined;
    if (f.type === "numeric") {
      const { sd, min, max } = stats(col.numbers!);
      const integer = col.type === "integer" || col.type === "boolean";
      const s = f.std ?? 1;
      const mu = f.mean ?? 0;
      const mutable = !reason && sd > 0;
      features.push({
        feature: f.name,
        column: f.column,
        kind: integer ? "integer" : "numeric",
        mutable,
        ...(reason ? { reason } : sd > 0 ? {} : { reason: "constant in the data" as const }),
        sigma: sd,
        min,
        max,
        offset,
        width,
      });
      space.mean[offset] = mu;
      space.s[offset] = s;
      if (mutable) {
        space.numeric[offset] = 1;
        space.scale[offset] = sd / s;
        space.lo[offset] = (min - mu) / s;
        space.hi[offset] = (max - mu) / s;
        space.integer[offset] = integer ? 1 : 0;
      }
    } else {
      const mutable = !reason && o.categorical === "free";
      features.push({
        feature: f.name,
        column: f.column,
        kind: f.type === "categorical" ? "categorical" : "binary",
        mutable,
        ...(reason ? { reason } : mutable ? {} : { reason: "categorical: frozen" as const }),
        offset,
        width,
        ...(f.type === "categorical" ? { categories: f.categories } : { positive: f.positive }),
      });
      if (mutable) space.blocks.push([offset, width]);
    }
    offset += width;
  }
  return { space, features };
}

/** Mean, population standard deviation, min and max over non-missing values. */
function stats(xs: Float64Array): { mean: number; sd: number; min: number; max: number } {
  let n = 0;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x !== x) continue;
    n++;
    s += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n ? s / n : 0;
  let v = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x === x) v += (x - mean) ** 2;
  }
  return { mean, sd: n > 1 ? Math.sqrt(v / n) : 0, min: n ? min : 0, max: n ? max : 0 };
}
