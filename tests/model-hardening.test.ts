// Hardening of model loading: TF.js weight manifests (each shard once, a byte limit, shapes that
// fit the shards, finite weights) and assay.model.json errors that name the field, what was found
// and what is accepted.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { artefacts, denseModel, serialize, writeModelDir, type SerializedModel } from "./helpers/tfjs-models";
import { AppError } from "../lib/errors";
import { initBackend } from "../lib/engine/backend";
import { loadModel, MAX_TFJS_WEIGHT_BYTES, type ModelArtefacts } from "../lib/engine/model/load";
import type { TModelManifestInput } from "../lib/engine/model/manifest";
import { loadModelDir } from "../lib/io/model-dir";

const MANIFEST: TModelManifestInput = {
  format: "tfjs-layers",
  task: "binary_classification",
  output: { type: "probability" },
  features: [
    { name: "a", column: "a", type: "numeric" },
    { name: "b", column: "b", type: "numeric" },
    { name: "c", column: "c", type: "numeric" },
    { name: "d", column: "d", type: "numeric" },
  ],
};

type Spec = { name: string; shape: number[]; dtype: string };
type Group = { paths: string[]; weights: Spec[] };

/** y = sigmoid(x·w + b): a 4×1 float32 kernel (16 bytes) then a float32 bias (4 bytes). */
let model: SerializedModel;
let kernel: string;
let bias: string;

beforeAll(async () => {
  await initBackend("wasm");
  model = await serialize(denseModel([[0.5], [-1], [2], [0.25]], [0.1], "sigmoid"));
  [kernel, bias] = (model.modelJson.weightsManifest[0]!.weights as Spec[]).map((w) => w.name) as [string, string];
});

function specs(): Spec[] {
  return structuredClone(model.modelJson.weightsManifest[0]!.weights as Spec[]);
}

/** Artefacts with the given weightsManifest and files; `reads` records every file read. */
function withWeights(groups: Group[], files: Record<string, Uint8Array>, extra: Partial<ModelArtefacts> = {}): { a: ModelArtefacts; reads: string[] } {
  const reads: string[] = [];
  const modelJson = { ...model.modelJson, weightsManifest: groups };
  const all: Record<string, Uint8Array> = { ...files, "model.json": new TextEncoder().encode(JSON.stringify(modelJson)) };
  const a: ModelArtefacts = {
    manifest: MANIFEST,
    label: "test-model",
    readFile: async (name) => {
      reads.push(name);
      const f = all[name];
      if (!f) throw new Error(`no file ${name}`);
      return f;
    },
    ...extra,
  };
  return { a, reads };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("INVALID_INPUT");
    return e as AppError;
  }
  throw new Error("expected the load to fail");
}

/** The weights with float `index` (0-4: kernel then bias) set to `value`. */
function weightsWith(index: number, value: number): Uint8Array {
  const out = new Uint8Array(model.weights);
  new DataView(out.buffer).setFloat32(index * 4, value, true);
  return out;
}

describe("TF.js weight shards", () => {
  it("the default limit on all weight shards together is 2 GiB", () => {
    expect(MAX_TFJS_WEIGHT_BYTES).toBe(2 * 1024 ** 3);
  });

  it("refuses a shard listed twice, naming it, before reading any shard", async () => {
    const { a, reads } = withWeights([{ paths: ["weights.bin", "weights.bin"], weights: specs() }], { "weights.bin": model.weights });
    const e = await failure(loadModel(a));
    expect(e.message).toBe('test-model/model.json: weight shard "weights.bin" is listed 2 times in weightsManifest; each shard must be listed once');
    expect(e.location).toEqual({ file: "test-model/model.json" });
    expect(reads).toEqual(["model.json"]);
  });

  it("refuses a shard listed a thousand times across groups without reading it", async () => {
    const groups: Group[] = [{ paths: ["weights.bin"], weights: specs() }];
    for (let i = 1; i < 1000; i++) groups.push({ paths: ["weights.bin"], weights: [] });
    const { a, reads } = withWeights(groups, { "weights.bin": model.weights });
    const e = await failure(loadModel(a));
    expect(e.userMessage).toBe('weight shard "weights.bin" is listed 1000 times in weightsManifest; each shard must be listed once');
    expect(reads).toEqual(["model.json"]);
  });

  it("refuses weights whose declared shapes exceed the limit, before reading any shard", async () => {
    const { a, reads } = withWeights([{ paths: ["weights.bin"], weights: specs() }], { "weights.bin": model.weights }, { maxWeightBytes: 16 });
    const e = await failure(loadModel(a));
    expect(e.message).toBe("test-model/model.json: the weights declare 20 bytes, over the 16 bytes limit for TF.js weights");
    expect(reads).toEqual(["model.json"]);
  });

  it("refuses shards that hold more than the limit, and stops reading at the first shard past it", async () => {
    const padded = new Uint8Array(30);
    padded.set(model.weights);
    const { a, reads } = withWeights([{ paths: ["a.bin", "b.bin"], weights: specs() }], { "a.bin": padded, "b.bin": new Uint8Array(8) }, { maxWeightBytes: 20 });
    const e = await failure(loadModel(a));
    expect(e.message).toBe("test-model/model.json: the weight shards hold at least 30 bytes, over the 20 bytes limit for TF.js weights");
    expect(reads).toEqual(["model.json", "a.bin"]);
  });

  it("a model directory's shards are measured before they are read", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-hardening-"));
    try {
      writeModelDir(dir, model, MANIFEST);
      const padded = new Uint8Array(64);
      padded.set(model.weights);
      fs.writeFileSync(path.join(dir, "weights.bin"), padded);
      const spy = jest.spyOn(fs, "readFileSync");
      try {
        const e = await failure(loadModelDir(dir, "v1", { maxWeightBytes: 20 }));
        expect(e.message).toBe("v1/model.json: the weight shards hold 64 bytes, over the 20 bytes limit for TF.js weights");
        expect(spy.mock.calls.map((c) => path.basename(String(c[0])))).not.toContain("weights.bin");
      } finally {
        spy.mockRestore();
      }
      // within the limit it loads as before
      const { loaded, files } = await loadModelDir(dir, "v1", { maxWeightBytes: 64 });
      expect(files.map((f) => f.name)).toEqual(["assay.model.json", "model.json", "weights.bin"]);
      loaded.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a declared shape that needs more bytes than the shards hold, naming the weight", async () => {
    const s = specs();
    s[0]!.shape = [5, 1];
    const { a } = withWeights([{ paths: ["weights.bin"], weights: s }], { "weights.bin": model.weights });
    const e = await failure(loadModel(a));
    expect(e.message).toBe(`test-model/model.json: weight "${bias}" (float32, shape [1]) ends at byte 24, but the shards of its group (weights.bin) hold 20 bytes`);
  });

  it("refuses a truncated shard", async () => {
    const { a } = withWeights([{ paths: ["weights.bin"], weights: specs() }], { "weights.bin": model.weights.slice(0, 12) });
    const e = await failure(loadModel(a));
    expect(e.userMessage).toBe(`weight "${kernel}" (float32, shape [4,1]) ends at byte 16, but the shards of its group (weights.bin) hold 12 bytes`);
  });

  it("refuses absurd dimensions", async () => {
    const cases: Array<[unknown, string]> = [
      [[2 ** 31, 1], `weight "${kernel}": shape must be a list of whole numbers from 0 to 2147483647, got [2147483648,1]`],
      [[-4, 1], `weight "${kernel}": shape must be a list of whole numbers from 0 to 2147483647, got [-4,1]`],
      [[4.5, 1], `weight "${kernel}": shape must be a list of whole numbers from 0 to 2147483647, got [4.5,1]`],
      ["4x1", `weight "${kernel}": shape must be a list of whole numbers from 0 to 2147483647, got "4x1"`],
      [[100000, 100000, 100000], `weight "${kernel}" (float32, shape [100000,100000,100000]) alone takes 3725290.3 GiB, over the 2.0 GiB limit for TF.js weights`],
    ];
    for (const [shape, message] of cases) {
      const s = specs();
      (s[0] as { shape: unknown }).shape = shape;
      const { a, reads } = withWeights([{ paths: ["weights.bin"], weights: s }], { "weights.bin": model.weights });
      expect((await failure(loadModel(a))).userMessage).toBe(message);
      expect(reads).toEqual(["model.json"]);
    }
  });

  it("refuses an unknown dtype", async () => {
    const s = specs();
    s[1]!.dtype = "string";
    const { a } = withWeights([{ paths: ["weights.bin"], weights: s }], { "weights.bin": model.weights });
    expect((await failure(loadModel(a))).userMessage).toBe(`weight "${bias}": dtype "string" is not supported; accepted: "float32", "int32", "bool", "complex64"`);
  });

  it("refuses a group with spare bytes before another group (later weights would shift)", async () => {
    const [k, b] = specs();
    const a16 = new Uint8Array(20);
    a16.set(model.weights.slice(0, 16));
    const { a } = withWeights(
      [
        { paths: ["a.bin"], weights: [k!] },
        { paths: ["b.bin"], weights: [b!] },
      ],
      { "a.bin": a16, "b.bin": model.weights.slice(16) },
    );
    expect((await failure(loadModel(a))).userMessage).toBe(
      "the shards of weight group 1 (a.bin) hold 20 bytes but its weights take 16; the weights of later groups would be read from the wrong place",
    );
  });

  it("refuses NaN and Infinity weights, also across a shard boundary", async () => {
    const one = (w: Uint8Array) => withWeights([{ paths: ["weights.bin"], weights: specs() }], { "weights.bin": w }).a;
    expect((await failure(loadModel(one(weightsWith(2, NaN))))).userMessage).toBe(`weight "${kernel}" holds NaN or Infinity (element 3 of 4)`);
    expect((await failure(loadModel(one(weightsWith(4, Infinity))))).userMessage).toBe(`weight "${bias}" holds NaN or Infinity (element 1 of 1)`);
    expect((await failure(loadModel(one(weightsWith(0, -Infinity))))).userMessage).toBe(`weight "${kernel}" holds NaN or Infinity (element 1 of 4)`);
    // element 3 of the kernel is bytes 8..11: split between byte 10 and byte 11 (its two high bytes)
    const w = weightsWith(2, NaN);
    const split = withWeights([{ paths: ["a.bin", "empty.bin", "b.bin"], weights: specs() }], {
      "a.bin": w.slice(0, 11),
      "empty.bin": new Uint8Array(0),
      "b.bin": w.slice(11),
    }).a;
    expect((await failure(loadModel(split))).userMessage).toBe(`weight "${kernel}" holds NaN or Infinity (element 3 of 4)`);
  });

  it("still loads a model split over shards at odd byte offsets, each read once, with the largest finite float", async () => {
    const w = weightsWith(1, 3.4028234663852886e38);
    const ref = await loadModel(artefacts({ ...model, weights: w }, MANIFEST));
    const { a, reads } = withWeights([{ paths: ["a.bin", "b.bin", "c.bin"], weights: specs() }], {
      "a.bin": w.slice(0, 7),
      "b.bin": w.slice(7, 11),
      "c.bin": w.slice(11),
    });
    const m = await loadModel(a);
    expect(reads.filter((r) => r.endsWith(".bin")).sort()).toEqual(["a.bin", "b.bin", "c.bin"]);
    const x = new Float32Array([1e-40, 0, 1, 2, 0, 0, 0, 0]);
    expect(Array.from(await m.predict(x, 2))).toEqual(Array.from(await ref.predict(x, 2)));
    m.dispose();
    ref.dispose();
  });
});

describe("assay.model.json errors name the field, what was found and what is accepted", () => {
  const feature = (f: object) => ({ ...MANIFEST, features: [f] });
  const cases: Array<[string, unknown, string | undefined, string]> = [
    ["an unknown format", { ...MANIFEST, format: "tflite" }, "format", 'found "tflite"; accepted: "tfjs-layers", "onnx", "xgboost-json"'],
    ["no format", { ...MANIFEST, format: undefined }, "format", 'found nothing (the field is missing); accepted: "tfjs-layers", "onnx", "xgboost-json"'],
    ["another task", { ...MANIFEST, task: "regression" }, "task", 'found "regression"; accepted: "binary_classification"'],
    ["an unknown output type", { ...MANIFEST, output: { type: "prob" } }, "output.type", 'found "prob"; accepted: "probability", "logit", "softmax"'],
    ["an unknown feature type", feature({ name: "a", column: "a", type: "numbr" }), "features.0.type", 'found "numbr"; accepted: "numeric", "categorical", "binary"'],
    ["a number for a column name", feature({ name: "a", column: 3, type: "numeric" }), "features.0.column", "found 3; accepted: a string"],
    ["a boolean positive value", feature({ name: "a", column: "a", type: "binary", positive: true }), "features.0.positive", "found true; accepted: a string or a number"],
    ["no features", { ...MANIFEST, features: [] }, "features", "found []; too small: expected array to have >=1 items"],
    ["an unknown key", { ...MANIFEST, extra: 1 }, undefined, 'unknown key "extra"; remove it'],
  ];
  it.each(cases)("%s", async (_, manifest, field, text) => {
    const e = await failure(loadModel({ ...artefacts(model, manifest), label: "v1" }));
    const where = field ? `, field "${field}"` : "";
    expect(e.userMessage).toBe(`assay.model.json${where}: ${text} (see README "Model directories")`);
    expect(e.message).toBe(`v1/assay.model.json${where}: ${text} (see README "Model directories")`);
    expect(e.location).toEqual({ file: "v1/assay.model.json", ...(field ? { field } : {}) });
  });
});
