import * as tf from "@tensorflow/tfjs";
import { artefacts, denseModel, serialize } from "../../../tests/helpers/tfjs-models";
import { initBackend, setBufferLimitForTests } from "../backend";
import { loadTable } from "../data/table";
import { createLocalExecutor } from "../executor";
import { createEncoder } from "../model/encode";
import { loadModel } from "../model/load";
import type { TModelManifest } from "../model/manifest";
import { predictProbabilities } from "../model/predict";
import { groupByColumn } from "../metrics/groups";
import { createRng } from "../random";
import { runAttack, setDeviceSteps, type AttackConfig } from "./attack";
import { robustnessSection } from "./analysis";
import { buildAttackSpace } from "./space";
import type { ReportWarning } from "../../report/types";

beforeAll(async () => {
  await initBackend("wasm");
});


const config = (c: Partial<AttackConfig>): AttackConfig => ({
  attack: "pgd",
  norm: "linf",
  epsilons: [0.05, 0.1, 0.25, 0.5],
  steps: 20,
  restarts: 1,
  seed: 7,
  threshold: 0.5,
  tolerance: 1e-3,
  queries: 200,
  ...c,
});

// ---- a logistic regression on four continuous, unconstrained features ------------------------

const W = [0.9, -0.6, 0.4, 1.2];
const B = 0.1;
const MEAN = [1, -2, 0, 3];
const STD = [2, 0.5, 1, 4];

async function linearSetup(n = 400) {
  const r = createRng(3);
  const lines = ["x0,x1,x2,x3,sex"];
  for (let i = 0; i < n; i++) lines.push([0, 1, 2, 3].map((j) => (MEAN[j]! + STD[j]! * r.normal() * 0.3).toFixed(6)).join(",") + `,${i % 2 ? "F" : "M"}`);
  const table = await loadTable([new TextEncoder().encode(lines.join("\n") + "\n")], { fileName: "lin.csv" });
  const manifest: TModelManifest = {
    format: "tfjs-layers",
    task: "binary_classification",
    output: { type: "probability" },
    features: [0, 1, 2, 3].map((j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric" as const, mean: MEAN[j]!, std: STD[j]! })),
  };
  const model = await loadModel(artefacts(await serialize(denseModel(W.map((w) => [w]), [B], "sigmoid")), manifest));
  const encoder = createEncoder(table, manifest);
  const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["sex"], immutable: [], categorical: "frozen" });
  const rows = n;
  const x = encoder.encodeRange(0, rows);
  const p = await predictProbabilities(model.graph!, x, rows);
  const decision = Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
  // closed form: z = w·v + b, minimal L∞ perturbation in standard units = |z| / Σ|w_j| k_j, k_j = σ_j / s_j
  const sumWk = W.reduce((s, w, j) => s + Math.abs(w) * space.scale[j]!, 0);
  const z = Array.from({ length: rows }, (_, i) => W.reduce((s, w, j) => s + w * x[i * 4 + j]!, B));
  /** Whether the observed range cannot bind for row i within radius ε (the closed form ignores it). */
  const inside = (i: number, eps: number) => [0, 1, 2, 3].every((j) => x[i * 4 + j]! - eps * space.scale[j]! > space.lo[j]! && x[i * 4 + j]! + eps * space.scale[j]! < space.hi[j]!);
  return { table, manifest, model, encoder, space, x, rows, decision, sumWk, z, inside };
}

describe("attacks on a logistic regression (closed form)", () => {
  let s: Awaited<ReturnType<typeof linearSetup>>;
  beforeAll(async () => {
    s = await linearSetup();
  });
  afterAll(() => s.model.dispose());

  const job = (c: Partial<AttackConfig>) => ({ space: s.space, config: config(c), x: s.x, rows: s.rows, rowIds: Int32Array.from({ length: s.rows }, (_, i) => i), decision: s.decision });

  it("uses σ_j from the data: k_j = σ_j / s_j", () => {
    const col = s.table.columns[0]!.numbers!;
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
    expect(s.space.scale[0]).toBeCloseTo(sd / STD[0]!, 5);
  });

  it("FGSM flips exactly the rows whose margin is below ε·Σ|w_j|σ_j", async () => {
    const eps = 0.1;
    const res = await runAttack(s.model, job({ attack: "fgsm", epsilons: [eps] }));
    let checked = 0;
    for (let i = 0; i < s.rows; i++) {
      const bound = eps * s.sumWk;
      const margin = Math.abs(s.z[i]!);
      if (Math.abs(margin - bound) < 1e-4 || !s.inside(i, eps)) continue; // float32 ties; range binds
      checked++;
      expect(res.flipped[i]).toBe(margin < bound ? 1 : 0);
    }
    expect(checked).toBeGreaterThan(300);
    expect(res.flipped.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  });

  it("PGD's minimal ε is within 1% of margin / Σ|w_j|σ_j", async () => {
    const res = await runAttack(s.model, job({ attack: "pgd" }));
    let checked = 0;
    for (let i = 0; i < s.rows; i++) {
      const exact = Math.abs(s.z[i]!) / s.sumWk;
      if (exact < 0.1 || exact > 0.49 || !s.inside(i, 0.5)) continue;
      checked++;
      expect(res.minEpsilon[i]).toBeGreaterThanOrEqual(exact * 0.999);
      expect(Math.abs(res.minEpsilon[i]! - exact) / exact).toBeLessThan(0.01);
    }
    expect(checked).toBeGreaterThan(30);
    for (let i = 0; i < s.rows; i++) if (Math.abs(s.z[i]!) / s.sumWk > 0.51) expect(res.minEpsilon[i]).toBe(Infinity); // the range only shrinks the ball
  });

  it("the gradient-free attack's minimal ε is an upper bound of the true one", async () => {
    const res = await runAttack(s.model, job({ attack: "random", queries: 120 }));
    let found = 0;
    for (let i = 0; i < s.rows; i++) {
      if (!Number.isFinite(res.minEpsilon[i]!)) continue;
      found++;
      expect(res.minEpsilon[i]! + 1e-6).toBeGreaterThanOrEqual(Math.abs(s.z[i]!) / s.sumWk);
    }
    expect(found).toBeGreaterThan(20);
  });

  it("the boundary attack's minimal ε is an upper bound of the true one, and close to it (median ratio ≤ 1.1)", async () => {
    const res = await runAttack(s.model, job({ attack: "boundary", queries: 400 }));
    const ratios: number[] = [];
    for (let i = 0; i < s.rows; i++) {
      if (!Number.isFinite(res.minEpsilon[i]!)) continue;
      const exact = Math.abs(s.z[i]!) / s.sumWk;
      expect(res.minEpsilon[i]! + 1e-6).toBeGreaterThanOrEqual(exact);
      if (s.inside(i, res.minEpsilon[i]!)) ratios.push(res.minEpsilon[i]! / exact);
      // the reported point is adversarial and within its reported ε
      const p = await s.model.predict(res.points.subarray(i * 4, (i + 1) * 4), 1);
      expect(p[0]! >= 0.5 ? 1 : 0).not.toBe(s.decision[i]);
    }
    expect(ratios.length).toBeGreaterThan(50);
    ratios.sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThanOrEqual(1.1);
    // it finds every row the exact bound says flips well inside the largest ε (0.5)
    let inside = 0;
    for (let i = 0; i < s.rows; i++) {
      if (Math.abs(s.z[i]!) / s.sumWk < 0.3 && s.inside(i, 0.5)) {
        inside++;
        expect(Number.isFinite(res.minEpsilon[i]!)).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(50);
  });

  it.each(["pgd", "fgsm", "random", "boundary"] as const)("%s: a row flipped at some ε counts as flipped at every larger ε, and exactly the rows with a finite minimal ε flip at the largest", async (attack) => {
    const epsilons = [0.05, 0.1, 0.25, 0.5];
    const res = await runAttack(s.model, job({ attack, epsilons, queries: 150, steps: 5 }));
    const E = epsilons.length;
    let checked = 0;
    for (let i = 0; i < s.rows; i++) {
      for (let e = 1; e < E; e++) if (res.flipped[i * E + e - 1]) expect(res.flipped[i * E + e]).toBe(1);
      expect(res.flipped[i * E + E - 1] === 1).toBe(Number.isFinite(res.minEpsilon[i]!));
      if (Number.isFinite(res.minEpsilon[i]!)) checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("is reproducible with a seed and leaks no tensors", async () => {
    const before = tf.memory().numTensors;
    const a = await runAttack(s.model, job({ attack: "pgd", epsilons: [0.25] }));
    const b = await runAttack(s.model, job({ attack: "pgd", epsilons: [0.25] }));
    expect(Array.from(a.points)).toEqual(Array.from(b.points));
    expect(Array.from(a.minEpsilon)).toEqual(Array.from(b.minEpsilon));
    expect(tf.memory().numTensors).toBe(before);
  });
});

// ---- constraints on a mixed model ---------------------------------------------------------------

async function mixedSetup(weights: { age: number; income: number; city: number[]; union: number; group: number }) {
  const r = createRng(5);
  const cities = ["Oslo", "Rome", "Lima"];
  const lines = ["age,income,city,union,group,label"];
  for (let i = 0; i < 300; i++) {
    lines.push([20 + r.int(50), (30000 + 20000 * r.normal()).toFixed(2), cities[r.int(3)], r.int(2), r.next() < 0.5 ? "a" : "b", r.int(2)].join(","));
  }
  const table = await loadTable([new TextEncoder().encode(lines.join("\n") + "\n")], { fileName: "mixed.csv" });
  const manifest: TModelManifest = {
    format: "tfjs-layers",
    task: "binary_classification",
    output: { type: "probability" },
    features: [
      { name: "age", column: "age", type: "numeric", mean: 45, std: 14 },
      { name: "income", column: "income", type: "numeric", mean: 30000, std: 20000 },
      { name: "city", column: "city", type: "categorical", categories: cities },
      { name: "union", column: "union", type: "binary", positive: "1" },
      { name: "group", column: "group", type: "binary", positive: "a" },
    ],
  };
  const w = [[weights.age], [weights.income], ...weights.city.map((c) => [c]), [weights.union], [weights.group]];
  const model = await loadModel(artefacts(await serialize(denseModel(w, [0], "sigmoid")), manifest));
  return { table, manifest, model, encoder: createEncoder(table, manifest) };
}

/** The mixed table with a random 2-layer MLP (hidden units and activation; seeded weights ~ N(0, 1.5²)). */
async function mixedMlp(seed: number, units: number, activation: "tanh" | "relu") {
  const setup = await mixedSetup({ age: 1, income: 1, city: [0, 0, 0], union: 0, group: 0 });
  setup.model.dispose();
  const r = createRng(seed);
  const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [7], units, activation }), tf.layers.dense({ units: 1, activation: "sigmoid" })] });
  net.setWeights(net.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => 1.5 * r.normal()), w.shape)));
  const model = await loadModel(artefacts(await serialize(net), setup.manifest));
  net.dispose();
  return { ...setup, model };
}

describe("PGD on integer features (a logistic regression: the rows it can flip, in closed form)", () => {
  // three integer features whose budgets are a few whole units at small ε: age (σ ≈ 14),
  // hours (σ ≈ 11), years of education (σ ≈ 2.6). PGD's step 2.5ε/steps is a fraction of a unit
  // there; rounding would undo it every step, and only the random start would ever move them.
  const Wi = [0.9, 0.7, -0.8];
  const Bi = 0.05;
  const MEANi = [40, 40, 10];
  const STDi = [14, 11, 2.6];

  it.each([
    [0.1, false],
    [0.25, false],
    [0.25, true],
  ])("at ε = %s (steps on the device: %s) flips exactly the rows whose |logit| is at most Σ |w_j|/σ_j · (the whole units within the ball and the range)", async (eps, device) => {
    const r = createRng(11);
    const n = 600;
    const lines = ["age,hours,edu,sex"];
    for (let i = 0; i < n; i++) lines.push(`${20 + r.int(50)},${10 + r.int(40)},${6 + r.int(11)},${i % 2 ? "F" : "M"}`);
    const table = await loadTable([new TextEncoder().encode(lines.join("\n") + "\n")], { fileName: "int.csv" });
    const manifest: TModelManifest = {
      format: "tfjs-layers",
      task: "binary_classification",
      output: { type: "probability" },
      features: ["age", "hours", "edu"].map((c, j) => ({ name: c, column: c, type: "numeric" as const, mean: MEANi[j]!, std: STDi[j]! })),
    };
    const model = await loadModel(artefacts(await serialize(denseModel(Wi.map((w) => [w]), [Bi], "sigmoid")), manifest));
    const encoder = createEncoder(table, manifest);
    const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["sex"], immutable: [], categorical: "frozen" });
    expect(Array.from(space.integer.subarray(0, 3))).toEqual([1, 1, 1]);
    const x = encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await predictProbabilities(model.graph!, x, n), (v) => (v >= 0.5 ? 1 : 0));
    const raw = [0, 1, 2].map((j) => table.columns[j]!.numbers!);
    const sd = raw.map((c) => {
      const m = c.reduce((a, b) => a + b, 0) / n;
      return Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / n);
    });
    const lo = raw.map((c) => Math.min(...c));
    const hi = raw.map((c) => Math.max(...c));
    setDeviceSteps(device ? "always" : "never");
    try {
      const res = await runAttack(model, { space, config: config({ epsilons: [eps], restarts: 1 }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision });
      let expected = 0;
      let found = 0;
      let checked = 0;
      for (let i = 0; i < n; i++) {
        const z = Wi.reduce((acc, w, j) => acc + (w * (raw[j]![i]! - MEANi[j]!)) / STDi[j]!, Bi);
        // toward the boundary: feature j moves against sign(w_j·z) by its whole units in the ball, within the range
        let reach = 0;
        for (let j = 0; j < 3; j++) {
          const units = Math.floor(eps * sd[j]! + 1e-6);
          const down = Wi[j]! * z > 0; // lowering the feature lowers |z|
          const room = down ? raw[j]![i]! - lo[j]! : hi[j]! - raw[j]![i]!;
          reach += (Math.abs(Wi[j]!) / STDi[j]!) * Math.min(units, room);
        }
        if (Math.abs(Math.abs(z) - reach) < 1e-4) continue; // a float32 tie with the threshold
        checked++;
        const flips = Math.abs(z) < reach ? 1 : 0;
        expected += flips;
        found += res.flipped[i]!;
        expect(res.flipped[i]).toBe(flips);
      }
      expect(checked).toBeGreaterThan(n * 0.95);
      expect(expected).toBeGreaterThan(20);
      expect(found).toBe(expected);
    } finally {
      setDeviceSteps("auto");
      model.dispose();
    }
  });
});

describe("tabular constraints", () => {
  it.each(["frozen", "free"] as const)("keep immutables fixed, values in range and on the grid, categories valid (categorical: %s)", async (categorical) => {
    const { table, manifest, model, encoder } = await mixedSetup({ age: 1.5, income: -1, city: [0.8, -0.5, 0.2], union: 0.7, group: 1.1 });
    const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["group"], immutable: ["income"], categorical });
    const n = table.rows;
    const x = encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await predictProbabilities(model.graph!, x, n), (v) => (v >= 0.5 ? 1 : 0));
    const res = await runAttack(model, { space, config: config({ epsilons: [0.25, 1, 2] }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision });
    const ages = table.columns[0]!.numbers!;
    const ageSd = Math.sqrt(ages.reduce((s, a) => s + (a - ages.reduce((p, q) => p + q, 0) / n) ** 2, 0) / n);
    let flips = 0;
    let cityChanges = 0;
    for (let i = 0; i < n; i++) {
      const p = res.points.subarray(i * 7, (i + 1) * 7);
      const o = x.subarray(i * 7, (i + 1) * 7);
      expect(p[1]).toBe(o[1]); // income: listed as immutable
      expect(p[6]).toBe(o[6]); // group: sensitive
      const age = p[0]! * 14 + 45;
      expect(Math.abs(age - Math.round(age))).toBeLessThan(1e-3); // integer
      expect(age).toBeGreaterThanOrEqual(20 - 1e-3);
      expect(age).toBeLessThanOrEqual(69 + 1e-3);
      if (Number.isFinite(res.minEpsilon[i]!)) expect(Math.abs(age - (o[0]! * 14 + 45))).toBeLessThanOrEqual(res.minEpsilon[i]! * ageSd + 1e-3);
      const city = Array.from(p.subarray(2, 5));
      expect(city.filter((v) => v === 1)).toHaveLength(1);
      expect(city.filter((v) => v === 0)).toHaveLength(2);
      expect([0, 1]).toContain(p[5]);
      if (categorical === "frozen") {
        expect(Array.from(p.subarray(2, 6))).toEqual(Array.from(o.subarray(2, 6)));
      } else if (city.some((v, k) => v !== o[2 + k])) cityChanges++;
      if (Number.isFinite(res.minEpsilon[i]!)) flips++;
    }
    expect(flips).toBeGreaterThan(10);
    if (categorical === "free") expect(cityChanges).toBeGreaterThan(0);
    // re-scoring the reported points agrees with the reported flips and scores
    const rescored = await predictProbabilities(model.graph!, res.points, n);
    for (let i = 0; i < n; i++) {
      expect(rescored[i]).toBeCloseTo(res.scores[i]!, 5);
      if (Number.isFinite(res.minEpsilon[i]!)) expect(rescored[i]! >= 0.5 ? 1 : 0).not.toBe(decision[i]);
    }
    model.dispose();
  });

  it("does not attack through a feature the model ignores, and a constant model flips nothing", async () => {
    const ignoring = await mixedSetup({ age: 2, income: 0, city: [0, 0, 0], union: 0, group: 0 });
    const { space } = buildAttackSpace(ignoring.table, ignoring.manifest, ignoring.encoder, { sensitive: [], immutable: [], categorical: "frozen" });
    const n = ignoring.table.rows;
    const x = ignoring.encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await predictProbabilities(ignoring.model.graph!, x, n), (v) => (v >= 0.5 ? 1 : 0));
    const fgsm = await runAttack(ignoring.model, { space, config: config({ attack: "fgsm", epsilons: [1] }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision });
    for (let i = 0; i < n; i++) expect(fgsm.points[i * 7 + 1]).toBe(x[i * 7 + 1]); // income: zero gradient, no step
    const warnings: ReportWarning[] = [];
    const section = await robustnessSection(
      {
        table: ignoring.table,
        manifest: ignoring.manifest,
        gradients: ignoring.model.gradients,
        encoder: ignoring.encoder,
        executor: createLocalExecutor(ignoring.model, "wasm"),
        y: decision,
        decision,
        scores: await predictProbabilities(ignoring.model.graph!, x, n),
        threshold: 0.5,
        sensitive: ["group"],
        groupings: [groupByColumn(ignoring.table.columns[4]!)],
        minGroupSize: 0,
        onProgress: () => {},
      },
      { attack: "pgd", norm: "linf", epsilons: [0.1, 0.5], steps: 10, restarts: 1, immutable: [], categorical: "frozen", rows: 300, seed: 1, queries: 200 },
      warnings,
    );
    expect(section.fragile.length).toBeGreaterThan(0);
    for (const f of section.fragile) expect(f.changes.map((c) => c.feature)).toEqual(["age"]); // random-start moves of income are put back
    expect(section.overall[1]!.flipRate).toBeGreaterThan(0);
    ignoring.model.dispose();

    const constant = await mixedSetup({ age: 0, income: 0, city: [0, 0, 0], union: 0, group: 0 });
    const cs = buildAttackSpace(constant.table, constant.manifest, constant.encoder, { sensitive: [], immutable: [], categorical: "free" }).space;
    const cx = constant.encoder.encodeRange(0, n);
    const cd = Uint8Array.from(await predictProbabilities(constant.model.graph!, cx, n), (v) => (v >= 0.5 ? 1 : 0));
    const cr = await runAttack(constant.model, { space: cs, config: config({ epsilons: [0.5, 5] }), x: cx, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision: cd });
    expect(cr.flipped.every((f) => f === 0)).toBe(true);
    expect(Array.from(cr.minEpsilon).every((e) => e === Infinity)).toBe(true);
    constant.model.dispose();
  });
});

describe("the gradient with respect to the movable inputs only (factored first layer)", () => {
  it("gives the attack of the whole-input gradient: the same flips, minimal ε and points (2-layer MLP, immutable, sensitive and free inputs)", async () => {
    const { table, manifest, encoder, model } = await mixedMlp(11, 16, "tanh");
    expect(model.graph?.firstLayer).toBeDefined();
    // the same model without its first-layer factorisation: every step takes ∂/∂v of all 7 inputs
    const whole = { ...model, graph: { ...model.graph!, firstLayer: undefined } };
    const n = table.rows;
    const x = encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await predictProbabilities(model.graph!, x, n), (v) => (v >= 0.5 ? 1 : 0));
    const before = tf.memory().numTensors;
    for (const categorical of ["frozen", "free"] as const) {
      const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["group"], immutable: ["income"], categorical });
      const job = { space, config: config({ epsilons: [0.25, 1, 2] }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision };
      const a = await runAttack(model, job);
      const b = await runAttack(whole, job);
      expect(Array.from(a.flipped)).toEqual(Array.from(b.flipped));
      expect(Array.from(a.minEpsilon)).toEqual(Array.from(b.minEpsilon));
      let maxDiff = 0;
      for (let k = 0; k < a.points.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a.points[k]! - b.points[k]!));
      expect(maxDiff).toBe(0); // points move on a grid of ± α steps: the same signs give the same points
      expect(a.gradients).toBe(b.gradients);
      expect(a.flipped.some((f) => f === 1)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("PGD's steps on the backend (what a GPU backend runs)", () => {
  afterEach(() => setDeviceSteps("auto"));

  it("give the steps of this thread: the same flips and minimal ε, points within float32 rounding, no tensors left (factored and whole-input models)", async () => {
    const { table, manifest, encoder, model } = await mixedMlp(12, 12, "relu");
    const whole = { ...model, graph: { ...model.graph!, firstLayer: undefined } };
    const n = table.rows;
    const x = encoder.encodeRange(0, n);
    const decision = Uint8Array.from(await predictProbabilities(model.graph!, x, n), (v) => (v >= 0.5 ? 1 : 0));
    const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["group"], immutable: [], categorical: "frozen" });
    const job = { space, config: config({ epsilons: [0.1, 0.5, 1.5], restarts: 2 }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision };
    const before = tf.memory().numTensors;
    for (const m of [model, whole]) {
      setDeviceSteps("never");
      const here = await runAttack(m, job);
      setDeviceSteps("always");
      const device = await runAttack(m, job);
      expect(Array.from(device.flipped)).toEqual(Array.from(here.flipped));
      expect(Array.from(device.minEpsilon)).toEqual(Array.from(here.minEpsilon));
      let maxDiff = 0;
      for (let k = 0; k < here.points.length; k++) maxDiff = Math.max(maxDiff, Math.abs(device.points[k]! - here.points[k]!));
      expect(maxDiff).toBeLessThan(1e-5);
      expect(device.gradients).toBe(here.gradients);
      expect(here.flipped.some((f) => f === 1)).toBe(true);
      // the integer feature stays on its grid on the backend too
      for (let i = 0; i < n; i++) {
        const age = device.points[i * 7]! * 14 + 45;
        expect(Math.abs(age - Math.round(age))).toBeLessThan(1e-3);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("model calls in pieces that fit a GPU's buffers", () => {
  afterEach(() => setBufferLimitForTests(null));

  it("give the numbers of one call: scores, and PGD's flips, minimal ε and points (37 rows per call)", async () => {
    const { table, manifest, encoder, model } = await mixedMlp(13, 10, "tanh");
    expect(model.graph!.widest).toBe(10);
    const n = table.rows;
    const x = encoder.encodeRange(0, n);
    const whole = await predictProbabilities(model.graph!, x, n);
    const decision = Uint8Array.from(whole, (v) => (v >= 0.5 ? 1 : 0));
    const { space } = buildAttackSpace(table, manifest, encoder, { sensitive: ["group"], immutable: [], categorical: "free" });
    const job = { space, config: config({ epsilons: [0.1, 0.5, 1.5] }), x, rows: n, rowIds: Int32Array.from({ length: n }, (_, i) => i), decision };
    const one = await runAttack(model, job);
    setBufferLimitForTests(4 * 10 * 37);
    expect(Array.from(await predictProbabilities(model.graph!, x, n))).toEqual(Array.from(whole));
    const pieces = await runAttack(model, job);
    expect(Array.from(pieces.flipped)).toEqual(Array.from(one.flipped));
    expect(Array.from(pieces.minEpsilon)).toEqual(Array.from(one.minEpsilon));
    expect(Array.from(pieces.points)).toEqual(Array.from(one.points));
    expect(pieces.gradients).toBe(one.gradients);
    expect(one.flipped.some((f) => f === 1)).toBe(true);
    model.dispose();
  });
});

describe("robustness report", () => {
  it("computes flip rate, robust and adversarial accuracy per ε and per-group disparities", async () => {
    const s = await linearSetup(300);
    const n = s.table.rows;
    const xAll = s.encoder.encodeRange(0, n);
    const scores = await predictProbabilities(s.model.graph!, xAll, n);
    const decision = Uint8Array.from(scores, (v) => (v >= 0.5 ? 1 : 0));
    const y = Uint8Array.from(decision, (d, i) => (i % 5 === 0 ? 1 - d : d)); // 80% accurate
    const grouping = groupByColumn(s.table.columns[4]!);
    const section = await robustnessSection(
      { table: s.table, manifest: s.manifest, gradients: s.model.gradients, encoder: s.encoder, executor: createLocalExecutor(s.model, "wasm"), y, decision, scores, threshold: 0.5, sensitive: ["sex"], groupings: [grouping], minGroupSize: 0, onProgress: () => {} },
      { attack: "fgsm", norm: "linf", epsilons: [0.1, 0.3], steps: 20, restarts: 1, immutable: [], categorical: "frozen", rows: n, seed: 2, queries: 200 },
      [],
    );
    // independent recount from the closed form (FGSM flips exactly margin < ε·Σ|w|k)
    const zAll = Array.from({ length: n }, (_, i) => W.reduce((acc, w, j) => acc + w * xAll[i * 4 + j]!, B));
    section.overall.forEach((o) => {
      // with the observed range: FGSM's corner, clipped, then the linear score decides
      const flips = zAll.map((z, i) => {
        const dir = z >= 0 ? -1 : 1;
        let zz = B;
        for (let j = 0; j < 4; j++) {
          const moved = Math.min(s.space.hi[j]!, Math.max(s.space.lo[j]!, xAll[i * 4 + j]! + dir * Math.sign(W[j]!) * o.epsilon * s.space.scale[j]!));
          zz += W[j]! * moved;
        }
        return (zz >= 0) !== (z >= 0);
      });
      expect(o.flipped).toBe(flips.filter(Boolean).length);
      const robust = flips.filter((f, i) => (f ? 1 - decision[i]! : decision[i]!) === y[i]).length / n;
      expect(o.robustAccuracy).toBeCloseTo(robust, 12);
      const correct = Array.from(decision.keys()).filter((i) => decision[i] === y[i]);
      expect(o.adversarialAccuracy).toBeCloseTo(correct.filter((i) => !flips[i]).length / correct.length, 12);
    });
    const sex = section.attributes[0]!;
    const rates = sex.groups.map((g) => g.flipRates[1]!);
    expect(sex.disparity[1]).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
    expect(section.threatModel.find((f) => f.feature === "x0")).toMatchObject({ mutable: true, kind: "numeric" });
    s.model.dispose();
  });
});

