import * as tf from "@tensorflow/tfjs";
import { artefacts, denseModel, serialize } from "../../../tests/helpers/tfjs-models";
import { AppError } from "../../errors";
import { initBackend, setBufferLimitForTests } from "../backend";
import { createRng } from "../random";
import { loadTable, type Table } from "../data/table";
import { createEncoder } from "./encode";
import { loadModel } from "./load";
import type { TModelManifest } from "./manifest";
import { predictProbabilities } from "./predict";

const CSV = "age,sex,union,city\n30,Female,1,Oslo\n50,Male,0,Rome\n,Other,1,\n40,Female,yes,Oslo\n";

async function table(csv = CSV): Promise<Table> {
  return loadTable([new TextEncoder().encode(csv)], { fileName: "people.csv" });
}

const MANIFEST: TModelManifest = {
  format: "tfjs-layers",
  task: "binary_classification",
  output: { type: "probability" },
  features: [
    { name: "age", column: "age", type: "numeric", mean: 40, std: 10 },
    { name: "sex", column: "sex", type: "categorical", categories: ["Female", "Male"] },
    { name: "union", column: "union", type: "binary", positive: "1" },
  ],
};

beforeAll(async () => {
  await initBackend("wasm");
});

describe("createEncoder", () => {
  it("standardises numbers, one-hot encodes categories and maps binaries, as hand-worked", async () => {
    const enc = createEncoder(await table(), MANIFEST);
    expect(enc.width).toBe(4);
    expect(enc.inputColumns).toEqual(["age", "sex", "sex", "union"]);
    // rows: (30, Female, 1) (50, Male, 0) (missing → mean, Other → zeros, 1) (40, Female, "yes" → 0)
    expect(Array.from(enc.encodeRange(0, 4))).toEqual([-1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    expect(Array.from(enc.encodeRows([3, 0]))).toEqual([0, 1, 0, 0, -1, 1, 0, 1]);
  });

  it("counts and warns about unknown categories, empty cells and unexpected binary values", async () => {
    const enc = createEncoder(await table(), MANIFEST);
    const byCode = Object.fromEntries(enc.warnings.map((w) => [w.code, w]));
    expect(byCode.missing_values).toMatchObject({ column: "age", count: 1 });
    expect(byCode.unknown_categories).toMatchObject({ column: "sex", count: 1 });
    expect(byCode.unknown_categories!.message).toMatch(/"Other"/);
    expect(byCode.unexpected_binary_values!.message).toMatch(/union/);
  });

  it("fills a missing number with the observed mean when the manifest has no mean/std", async () => {
    const m: TModelManifest = { ...MANIFEST, features: [{ name: "age", column: "age", type: "numeric" }] };
    expect(Array.from(createEncoder(await table(), m).encodeRange(0, 4))).toEqual([30, 50, 40, 40]);
  });

  it("rejects text in a numeric input naming the file, line and column", async () => {
    const m: TModelManifest = { ...MANIFEST, features: [{ name: "city", column: "city", type: "numeric" }] };
    let err: AppError | undefined;
    try {
      createEncoder(await table(), m);
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.message).toBe('people.csv, line 2, column "city": model input "city" needs a number, got "Oslo"');
  });

  it("rejects a manifest column missing from the data", async () => {
    const m: TModelManifest = { ...MANIFEST, features: [{ name: "x", column: "income", type: "numeric" }] };
    expect(() => createEncoder({ columns: [], fileName: "p.csv", rows: 0, bytes: 0, rowLines: new Int32Array() } as Table, m)).toThrow(
      /column "income" is not in the file/,
    );
  });
});

describe("loadModel and predictProbabilities", () => {
  const w = [[0.5], [-1], [2], [0.25]];
  const b = [0.1];

  function expected(x: number[]): number {
    const z = x.reduce((s, v, i) => s + v * w[i]![0]!, b[0]!);
    return 1 / (1 + Math.exp(-z));
  }

  it("scores like the closed form σ(x·w + b) (float32: 1e-6)", async () => {
    const s = await serialize(denseModel(w, b, "sigmoid"));
    const m = await loadModel(artefacts(s, MANIFEST));
    const enc = createEncoder(await table(), MANIFEST);
    const x = enc.encodeRange(0, 4);
    const p = await predictProbabilities(m.graph!, x, 4);
    for (let i = 0; i < 4; i++) expect(p[i]).toBeCloseTo(expected(Array.from(x.subarray(i * 4, i * 4 + 4))), 6);
    m.dispose();
  });

  it("applies the sigmoid to logit outputs and picks the softmax column", async () => {
    const x = (await createEncoder(await table(), MANIFEST)).encodeRange(0, 4);
    const logit = await loadModel(artefacts(await serialize(denseModel(w, b, "linear")), { ...MANIFEST, output: { type: "logit" } }));
    const pl = await predictProbabilities(logit.graph!, x, 4);
    const soft = await loadModel(
      artefacts(await serialize(denseModel(w.map((r) => [0, r[0]!]), [0, b[0]!], "softmax")), { ...MANIFEST, output: { type: "softmax", positiveIndex: 1 } }),
    );
    const ps = await predictProbabilities(soft.graph!, x, 4);
    for (let i = 0; i < 4; i++) {
      const e = expected(Array.from(x.subarray(i * 4, i * 4 + 4)));
      expect(pl[i]).toBeCloseTo(e, 6);
      expect(ps[i]).toBeCloseTo(e, 6); // softmax over (0, z) = σ(z)
    }
    logit.dispose();
    soft.dispose();
  });

  it("predictFloat32 gives predict's values as float32s, in one call and in pieces", async () => {
    const m = await loadModel(artefacts(await serialize(denseModel(w, b, "sigmoid")), MANIFEST));
    const r = createRng(2);
    const rows = 50;
    const x = Float32Array.from({ length: rows * 4 }, () => r.normal());
    const whole = await m.predict(x, rows);
    for (const limit of [null, 16 * 4 * 7]) {
      // 7 rows per call under the forced limit (16 bytes a row): 8 pieces
      setBufferLimitForTests(limit);
      try {
        const p32 = await m.predictFloat32!(x, rows);
        expect(p32).toBeInstanceOf(Float32Array);
        expect(Array.from(p32)).toEqual(Array.from(whole));
        for (let i = 0; i < rows; i++) expect(p32[i]).toBeCloseTo(expected(Array.from(x.subarray(i * 4, i * 4 + 4))), 6);
      } finally {
        setBufferLimitForTests(null);
      }
    }
    m.dispose();
  });

  it("rejects a manifest whose encoded width differs from the model input", async () => {
    const s = await serialize(denseModel([[1], [1], [1]], [0], "sigmoid"));
    await expect(loadModel(artefacts(s, MANIFEST))).rejects.toThrow(/encodes 4 inputs .* expects input of shape \[n, 3\]/);
  });

  it("rejects an output shape that does not fit the output type", async () => {
    const s = await serialize(denseModel(w.map((r) => [r[0]!, 0]), [0, 0], "softmax"));
    await expect(loadModel(artefacts(s, MANIFEST))).rejects.toThrow(/output type "probability" needs model output of shape \[n, 1\], got \[null,2\]/);
  });

  it("validates the manifest with zod and names the field", async () => {
    const s = await serialize(denseModel(w, b, "sigmoid"));
    const bad = { ...MANIFEST, features: [{ name: "age", column: "age", type: "numeric", mean: 1 }] };
    await expect(loadModel(artefacts(s, bad))).rejects.toThrow(/assay\.model\.json.*field "features\.0".*both mean and std/);
  });

  it("disposes every tensor it creates", async () => {
    const s = await serialize(denseModel(w, b, "sigmoid"));
    const m = await loadModel(artefacts(s, MANIFEST));
    const x = createEncoder(await table(), MANIFEST).encodeRange(0, 4);
    await predictProbabilities(m.graph!, x, 4);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await predictProbabilities(m.graph!, x, 4);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
