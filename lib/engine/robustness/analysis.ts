// The robustness analysis of an audit (METRICS.md §5) as a report section: the attack on a
// seeded sample of rows, flip rate / robust accuracy / adversarial accuracy per ε, the minimal ε
// distribution, the same per sensitive group and intersection with robustness_disparity, and the
// most fragile rows with the smallest set of feature changes that still flips them.

import type { MinEpsilonStats, ReportWarning, RobustnessSection } from "../../report/types";
import type { TRobustnessOptions } from "../../spec/schema";
import type { Table } from "../data/table";
import type { ModelExecutor } from "../executor";
import type { FeatureEncoder } from "../model/encode";
import type { TModelManifest } from "../model/manifest";
import type { GradientSource } from "../model/model";
import type { Grouping } from "../metrics/groups";
import { quantileSorted } from "../metrics/bootstrap";
import { createRng } from "../random";
import { sampleRows } from "../shap/background";
import { buildAttackSpace, type ThreatFeature } from "./space";
import type { AttackConfig } from "./attack";

export const BISECTION_TOLERANCE = 1e-3;
const STEP_SIZE: Record<TRobustnessOptions["attack"], string> = {
  pgd: "2.5·ε/steps",
  fgsm: "ε",
  random: "bisection along random directions",
  boundary: "binary search to the decision boundary, steps along gradient directions estimated from queries",
};
/** PGD's L∞ step where some inputs are integers (gradient.ts linfStep): where we deviate from
 *  METRICS.md §5, said in the report. */
export const PGD_INTEGER_STEP = "2.5·ε/steps, and at least one whole unit for integer features (METRICS.md §5 has 2.5·ε/steps for every feature; a smaller step would be undone by the rounding after it)";
const FRAGILE_ROWS = 20;

export interface RobustnessContext {
  table: Table;
  manifest: TModelManifest;
  /** How the model's gradients are obtained (PGD, FGSM). */
  gradients: GradientSource;
  encoder: FeatureEncoder;
  executor: ModelExecutor;
  y: Uint8Array;
  decision: Uint8Array;
  scores: Float64Array;
  threshold: number;
  sensitive: readonly string[];
  groupings: readonly Grouping[];
  minGroupSize: number;
  /** Groups the fairness analysis left out, by attribute: they do not enter disparities either. */
  excludedGroups?: ReadonlyMap<string, ReadonlySet<string>>;
  onProgress: (fraction: number, done?: number, total?: number) => void;
}

export async function robustnessSection(ctx: RobustnessContext, o: TRobustnessOptions, warnings: ReportWarning[]): Promise<RobustnessSection> {
  const { space, features } = buildAttackSpace(ctx.table, ctx.manifest, ctx.encoder, {
    sensitive: ctx.sensitive,
    immutable: o.immutable,
    categorical: o.categorical,
  });
  if (!features.some((f) => f.mutable)) {
    warnings.push({ code: "nothing_mutable", message: "robustness: no model input may move under this threat model, so nothing can flip" });
  }
  const gradientAttack = o.attack === "pgd" || o.attack === "fgsm";
  const n = ctx.table.rows;
  const rows = Int32Array.from(sampleRows(n, o.rows, createRng(o.seed)).sort((a, b) => a - b));
  const m = rows.length;
  const d = space.width;
  const epsilons = [...new Set(o.epsilons)].sort((a, b) => a - b);
  const config: AttackConfig = {
    attack: o.attack,
    norm: o.norm,
    epsilons,
    steps: o.steps,
    restarts: o.restarts,
    seed: o.seed,
    threshold: ctx.threshold,
    tolerance: BISECTION_TOLERANCE,
    queries: o.queries,
  };
  const x = ctx.encoder.encodeRows(rows);
  const decision = Uint8Array.from(rows, (r) => ctx.decision[r]!);
  const y = Uint8Array.from(rows, (r) => ctx.y[r]!);
  const t0 = performance.now();
  const res = await ctx.executor.attack({ space, config, x, rows: m, rowIds: rows, decision }, (done) => ctx.onProgress(done / m, done, m));
  const secs = (performance.now() - t0) / 1000;
  const E = epsilons.length;

  let correct = 0;
  for (let i = 0; i < m; i++) if (decision[i] === y[i]) correct++;
  const overall = epsilons.map((epsilon, e) => {
    let flipped = 0;
    let robust = 0;
    let stillCorrect = 0;
    for (let i = 0; i < m; i++) {
      const f = res.flipped[i * E + e]!;
      flipped += f;
      const adv = f ? 1 - decision[i]! : decision[i]!;
      if (adv === y[i]) robust++;
      if (decision[i] === y[i] && !f) stillCorrect++;
    }
    return { epsilon, flipRate: flipped / m, robustAccuracy: robust / m, adversarialAccuracy: correct ? stillCorrect / correct : null, flipped };
  });

  const attributes = ctx.groupings.map((g) => {
    const groups = g.names.map((group, gi) => {
      const members: number[] = [];
      for (let i = 0; i < m; i++) if (g.groupOf[rows[i]!] === gi) members.push(i);
      const flipRates = epsilons.map((_, e) => (members.length ? members.reduce((s, i) => s + res.flipped[i * E + e]!, 0) / members.length : NaN));
      return { group, n: members.length, small: members.length < 30, flipRates, minEpsilon: minEpsStats(members.map((i) => res.minEpsilon[i]!)) };
    });
    const excluded = ctx.excludedGroups?.get(g.attribute);
    const present = groups.filter((x) => x.n > 0 && x.n >= ctx.minGroupSize && !excluded?.has(x.group));
    const disparity = epsilons.map((_, e) => {
      if (present.length < 2) return null;
      const rates = present.map((x) => x.flipRates[e]!);
      return Math.max(...rates) - Math.min(...rates);
    });
    for (const x of groups) {
      if (x.n > 0 && x.small) warnings.push({ code: "small_group", attribute: g.attribute, group: x.group, message: `robustness: group "${x.group}" of ${g.attribute} has only ${x.n} attacked rows; its flip rates are unstable` });
    }
    return { attribute: g.attribute, groups: groups.filter((x) => x.n > 0).map((x) => ({ ...x, flipRates: x.flipRates.map((v) => (Number.isFinite(v) ? v : 0)) })), disparity };
  });

  const fragile = await fragileRows(ctx, features, rows, x, res.points, res.scores, res.minEpsilon, decision, d);

  return {
    attack: o.attack,
    norm: o.norm,
    epsilons,
    steps: o.attack === "fgsm" ? 1 : o.steps,
    restarts: o.attack === "pgd" ? o.restarts : 1,
    stepSize: o.attack === "pgd" && o.norm === "linf" && space.integer.some((v) => v === 1) ? PGD_INTEGER_STEP : STEP_SIZE[o.attack],
    ...(gradientAttack && ctx.gradients.kind !== "none" ? { gradientSource: ctx.gradients.description } : {}),
    seed: o.seed,
    categorical: o.categorical,
    upperBound: !gradientAttack,
    queries: gradientAttack ? null : o.queries,
    tolerance: BISECTION_TOLERANCE,
    rows: m,
    threatModel: features.map((f) => ({
      feature: f.feature,
      kind: f.kind,
      mutable: f.mutable,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(f.sigma !== undefined ? { sigma: f.sigma, min: f.min, max: f.max } : {}),
    })),
    cleanAccuracy: correct / m,
    overall,
    minEpsilon: minEpsStats(Array.from(res.minEpsilon)),
    attributes,
    fragile,
    gradients: res.gradients,
    predictions: res.predictions,
    rowsPerSecond: secs > 0 ? Math.round(m / secs) : 0,
    threads: ctx.executor.threads,
  };
}

function minEpsStats(values: number[]): MinEpsilonStats {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return { flipped: 0, median: null, mean: null, q1: null, q3: null };
  return {
    flipped: finite.length,
    median: quantileSorted(finite, 0.5),
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
    q1: quantileSorted(finite, 0.25),
    q3: quantileSorted(finite, 0.75),
  };
}

/** Raw value of a feature from its encoded block. */
function decode(f: ThreatFeature, v: Float32Array, at: number, manifest: TModelManifest): number | string | null {
  const mf = manifest.features.find((x) => x.name === f.feature)!;
  if (mf.type === "numeric") {
    const raw = v[at + f.offset]! * (mf.std ?? 1) + (mf.mean ?? 0);
    return f.kind === "integer" ? Math.round(raw) : raw;
  }
  if (mf.type === "binary") return v[at + f.offset]! >= 0.5 ? mf.positive : `not ${mf.positive}`;
  let best = -1;
  for (let k = 0; k < f.width; k++) if (v[at + f.offset + k]! > 0.5) best = k;
  return best >= 0 ? mf.categories[best]! : null;
}

/**
 * The most fragile rows (smallest minimal ε) with the changes that flip them, made sparse: each
 * moved feature, smallest change first, is put back when the row still flips without it.
 */
async function fragileRows(
  ctx: RobustnessContext,
  features: ThreatFeature[],
  rows: Int32Array,
  x: Float32Array,
  points: Float32Array,
  scores: Float64Array,
  minEps: Float64Array,
  decision: Uint8Array,
  d: number,
): Promise<RobustnessSection["fragile"]> {
  const order = Array.from(minEps.keys())
    .filter((i) => Number.isFinite(minEps[i]!))
    .sort((a, b) => minEps[a]! - minEps[b]! || a - b)
    .slice(0, FRAGILE_ROWS);
  if (order.length === 0) return [];
  const adv = order.map((i) => Float32Array.from(points.subarray(i * d, (i + 1) * d)));
  const moved = (k: number, f: ThreatFeature) => {
    const i = order[k]!;
    for (let t = f.offset; t < f.offset + f.width; t++) if (Math.abs(adv[k]![t]! - x[i * d + t]!) > 1e-7) return true;
    return false;
  };
  const magnitude = (k: number, f: ThreatFeature) => {
    const i = order[k]!;
    let s = 0;
    for (let t = f.offset; t < f.offset + f.width; t++) s += Math.abs(adv[k]![t]! - x[i * d + t]!);
    return s;
  };
  const candidates = order.map((_, k) => features.filter((f) => moved(k, f)).sort((a, b) => magnitude(k, a) - magnitude(k, b)));
  const finalScore = order.map((i) => scores[i]!);
  for (let step = 0; ; step++) {
    const trying = order.map((_, k) => candidates[k]![step]).map((f, k) => (f ? { k, f } : null)).filter((v): v is { k: number; f: ThreatFeature } => v !== null);
    if (trying.length === 0) break;
    const batch = new Float32Array(trying.length * d);
    trying.forEach(({ k, f }, b) => {
      const i = order[k]!;
      batch.set(adv[k]!, b * d);
      for (let t = f.offset; t < f.offset + f.width; t++) batch[b * d + t] = x[i * d + t]!;
    });
    const p = await ctx.executor.predict(batch, trying.length);
    trying.forEach(({ k }, b) => {
      const i = order[k]!;
      const dec = p[b]! >= ctx.threshold ? 1 : 0;
      if (dec !== decision[i]) {
        adv[k] = batch.slice(b * d, (b + 1) * d);
        finalScore[k] = p[b]!;
      }
    });
  }
  return order.map((i, k) => {
    const r = rows[i]!;
    const changes = features
      .filter((f) => moved(k, f))
      .map((f) => {
        const from = decode(f, x, i * d, ctx.manifest);
        const to = decode(f, adv[k]!, 0, ctx.manifest);
        const delta = typeof from === "number" && typeof to === "number" && f.sigma ? (to - from) / f.sigma : null;
        return { feature: f.feature, from, to, delta };
      });
    const groups: Record<string, string> = {};
    for (const g of ctx.groupings) if (g.columns.length === 1) groups[g.attribute] = g.names[g.groupOf[r]!]!;
    return { row: r, line: ctx.table.rowLines[r] ?? 0, groups, score: ctx.scores[r]!, adversarialScore: finalScore[k]!, minEpsilon: minEps[i]!, changes };
  });
}
