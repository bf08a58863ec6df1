// The webgpu backend against wasm, end to end through the CLI, on the software adapter that CI
// installs (Mesa's lavapipe from bookworm-backports; ASSAY_ALLOW_SOFTWARE_GPU=1). Run by the
// `webgpu` test project; ASSAY_TEST_WEBGPU=0 skips it on a machine without a Vulkan driver.
//
// What must hold: the software adapter is refused unless asked for (and the message says why), the
// automatic chain never picks it, and where it is asked for the CPS demo and an Adult audit give
// wasm's numbers: metrics within 1e-5, SHAP values within 1e-5, PGD flips identical, and PGD
// flips exactly the rows the logistic model's closed form says it can.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/engine/backend";
import { createRng } from "../lib/engine/random";
import type { Report } from "../lib/report/types";
import { runCli, tempDir, writeSpec } from "./helpers/cli";
import { ROOT, sharedDataset } from "./helpers/shared";
import { serialize, writeModelDir } from "./helpers/tfjs-models";

const SOFTWARE = { ASSAY_BACKEND: "webgpu", ASSAY_ALLOW_SOFTWARE_GPU: "1" };

function audit(spec: string, out: string, env: Record<string, string>): Report {
  const r = runCli(["audit", spec, "--out", out, "--quiet"], env);
  if (r.code > 1) throw new Error(`assay audit exited ${r.code}: ${r.stderr}`);
  return JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as Report;
}

/** Largest |a − b| over the metrics both reports hold (same ids, same order). */
function metricGap(a: Report, b: Report): number {
  expect(a.metrics.map((m) => m.id)).toEqual(b.metrics.map((m) => m.id));
  let gap = 0;
  a.metrics.forEach((m, i) => {
    const x = m.value;
    const y = b.metrics[i]!.value;
    if (typeof x === "number" && typeof y === "number") gap = Math.max(gap, Math.abs(x - y));
    else expect(x).toEqual(y);
  });
  return gap;
}

function phiGap(a: Report, b: Report): number {
  const ra = a.sections.shap!.rows;
  const rb = b.sections.shap!.rows;
  expect(ra.map((r) => r.row)).toEqual(rb.map((r) => r.row));
  let gap = 0;
  ra.forEach((r, i) => r.phi.forEach((p, j) => (gap = Math.max(gap, Math.abs(p - rb[i]!.phi[j]!)))));
  return gap;
}

describe("the webgpu backend (software adapter)", () => {
  const dir = tempDir("assay-webgpu-");
  const epsilons = [0.1, 0.25, 0.5];
  const w = [0.45, 0.8, 0.5, -0.4, 0.4];
  const b = -1.4;
  const numeric = ["age", "education_num", "hours_per_week"];
  const sexes = ["Female", "Male"];
  let rows: Array<Record<string, string>>;
  let stats: Array<{ name: string; column: string; type: "numeric"; mean: number; std: number }>;
  let adultSpec: string;
  let smallSpec: string;

  beforeAll(async () => {
    // the first 3,000 rows of UCI Adult (read from ../shared at test time) and a logistic model
    const lines = fs.readFileSync(sharedDataset("adult.csv"), "utf8").split(/\r?\n/).filter((l) => l.length > 0);
    fs.writeFileSync(path.join(dir, "adult.csv"), lines.slice(0, 3001).join("\n") + "\n");
    const header = lines[0]!.split(",");
    rows = lines.slice(1, 3001).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i]!, v])));
    stats = numeric.map((c) => {
      const xs = rows.map((r) => Number(r[c]));
      const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
      return { name: c, column: c, type: "numeric" as const, mean, std: Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length) };
    });
    await initBackend("wasm");
    const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 1, activation: "sigmoid" })] });
    net.setWeights([tf.tensor2d(w, [5, 1]), tf.tensor1d([b])]);
    writeModelDir(path.join(dir, "logistic"), await serialize(net), {
      format: "tfjs-layers",
      task: "binary_classification",
      output: { type: "probability" },
      features: [...stats, { name: "sex", column: "sex", type: "categorical", categories: sexes }],
    });
    net.dispose();
    const head = `dataset: { path: adult.csv, label: income, positive: ">50K" }\nmodel: { path: logistic }\nsensitive: [sex, race]\nanalyses:\n`;
    smallSpec = writeSpec(dir, `name: Adult logistic, performance only\n${head}  performance: { bootstrap: 10 }\n`, "small.audit.yaml");
    adultSpec = writeSpec(
      dir,
      `name: Adult logistic on webgpu
${head}  performance: { bootstrap: 200, seed: 1 }
  fairness: { bootstrap: 200, seed: 1 }
  permutation_importance: { scoring: roc_auc, repeats: 3, seed: 1 }
  shap: { rows: 25, background: { method: sample, size: 20 }, seed: 1 }
  robustness: { attack: pgd, norm: linf, epsilons: [${epsilons.join(", ")}], steps: 10, rows: 3000, seed: 1 }
`,
      "adult.audit.yaml",
    );
  });

  it("is refused without ASSAY_ALLOW_SOFTWARE_GPU=1, with a message that says why, and never chosen on its own", () => {
    const refused = runCli(["audit", smallSpec, "--out", path.join(dir, "refused"), "--quiet"], { ASSAY_BACKEND: "webgpu" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/ASSAY_BACKEND=webgpu cannot start: the only WebGPU adapter is a software rasteriser \(llvmpipe/);
    expect(refused.stderr).toMatch(/ASSAY_ALLOW_SOFTWARE_GPU=1/);
    expect(fs.existsSync(path.join(dir, "refused", "report.json"))).toBe(false);
    // the automatic chain (ASSAY_BACKEND unset) tries webgpu first and passes over the software adapter
    expect(process.env.ASSAY_BACKEND).toBeUndefined();
    const auto = audit(smallSpec, path.join(dir, "auto"), {});
    expect(auto.engine.backend).toBe("wasm");
    expect(auto.engine.adapter).toBeUndefined();
    // with no Vulkan driver at all (the loader's search dirs empty), the chain does not load Dawn:
    // nothing on stderr (Dawn said "vkCreateInstance: Found no drivers!" on every run) and wasm
    const empty = tempDir("assay-no-icd-");
    const bare = runCli(["audit", smallSpec, "--out", path.join(dir, "no-driver"), "--quiet"], { XDG_DATA_DIRS: empty, XDG_CONFIG_DIRS: empty });
    expect(bare.code).toBeLessThanOrEqual(1);
    expect(bare.stderr).not.toMatch(/Warning|vkCreateInstance|Vulkan/);
    expect((JSON.parse(fs.readFileSync(path.join(dir, "no-driver", "report.json"), "utf8")) as Report).engine.backend).toBe("wasm");
    const asked = audit(smallSpec, path.join(dir, "asked"), SOFTWARE);
    expect(asked.engine.backend).toBe("webgpu");
    expect(asked.engine.adapter).toMatchObject({ software: true, architecture: "software" });
    expect(asked.engine.adapter!.description).toMatch(/llvmpipe/);
  });

  it("gives the CPS demo's numbers (every analysis): metrics and SHAP values within 1e-5, the same PGD flips", () => {
    const spec = path.join(ROOT, "audits", "examples", "cps-wages", "v1.audit.yaml");
    const gpu = audit(spec, path.join(dir, "cps-webgpu"), SOFTWARE);
    const wasm = audit(spec, path.join(dir, "cps-wasm"), { ASSAY_BACKEND: "wasm" });
    expect(gpu.engine.backend).toBe("webgpu");
    expect(wasm.engine.backend).toBe("wasm");
    expect(metricGap(gpu, wasm)).toBeLessThan(1e-5);
    expect(phiGap(gpu, wasm)).toBeLessThan(1e-5);
    expect(gpu.sections.robustness!.overall.map((o) => o.flipped)).toEqual(wasm.sections.robustness!.overall.map((o) => o.flipped));
    expect(gpu.sections.robustness!.overall.at(-1)!.flipped).toBeGreaterThan(0);
  });

  it("splits model calls that would not fit the GPU's buffers (a 2048-wide layer, 20,000 rows): wasm's numbers, no rejected computation", async () => {
    // (the attack's split is tested on wasm with a small limit: attack.test.ts; here the scoring's)
    // 20,000 rows × 2,048 floats × 4 bytes = 164 MB per hidden tensor: over lavapipe's 128 MiB
    // binding limit (16,384 rows); two inputs keep the model cheap on a software rasteriser
    const d = 2;
    const r = createRng(3);
    const lines = [[...Array.from({ length: d }, (_, j) => `x${j}`), "y", "g"].join(",")];
    for (let i = 0; i < 20_000; i++) lines.push([...Array.from({ length: d }, () => r.normal().toFixed(4)), r.int(2), i % 2 ? "a" : "b"].join(","));
    fs.writeFileSync(path.join(dir, "wide.csv"), lines.join("\n") + "\n");
    const net = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [d], units: 2048, activation: "tanh", kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
        tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
      ],
    });
    writeModelDir(path.join(dir, "wide"), await serialize(net), {
      format: "tfjs-layers",
      task: "binary_classification",
      output: { type: "probability" },
      features: Array.from({ length: d }, (_, j) => ({ name: `x${j}`, column: `x${j}`, type: "numeric", mean: 0, std: 1 })),
    });
    net.dispose();
    const spec = writeSpec(
      dir,
      `name: wide
dataset: { path: wide.csv, label: y, positive: "1" }
model: { path: wide }
sensitive: [g]
analyses:
  performance: { bootstrap: 10, seed: 1 }
`,
      "wide.audit.yaml",
    );
    const run = runCli(["audit", spec, "--out", path.join(dir, "wide-webgpu"), "--quiet"], SOFTWARE);
    expect(run.stderr).not.toMatch(/Binding size|rejected/);
    expect(run.code).toBeLessThanOrEqual(1);
    const gpu = JSON.parse(fs.readFileSync(path.join(dir, "wide-webgpu", "report.json"), "utf8")) as Report;
    const wasm = audit(spec, path.join(dir, "wide-wasm"), { ASSAY_BACKEND: "wasm" });
    expect(gpu.engine.backend).toBe("webgpu");
    expect(metricGap(gpu, wasm)).toBeLessThan(1e-5);
    expect(gpu.sections.performance!.confusion).toEqual(wasm.sections.performance!.confusion);
  });

  it("gives an Adult audit's numbers on a logistic model, and PGD flips the rows its closed form says it can", () => {
    const gpu = audit(adultSpec, path.join(dir, "adult-webgpu"), SOFTWARE);
    const wasm = audit(adultSpec, path.join(dir, "adult-wasm"), { ASSAY_BACKEND: "wasm" });
    expect(gpu.engine.backend).toBe("webgpu");
    expect(metricGap(gpu, wasm)).toBeLessThan(1e-5);
    expect(phiGap(gpu, wasm)).toBeLessThan(1e-5);
    const flips = (r: Report) => r.sections.robustness!.overall.map((o) => o.flipped);
    expect(flips(gpu)).toEqual(flips(wasm));
    // closed form: only the three numeric inputs move (sex is sensitive), each by at most ε·σ_j
    // in raw units, and these are integers: by at most floor(ε·σ_j) whole units (METRICS.md §5),
    // i.e. floor(ε·σ_j)/σ_j encoded (the manifest standardises with the same σ_j). The logit then
    // moves by at most Σ_j |w_j|·floor(ε·σ_j)/σ_j: a row with a larger |logit| cannot flip
    const logits = rows.map((r) => {
      const x = [...stats.map((s) => (Number(r[s.name]) - s.mean) / s.std), ...sexes.map((s) => (r.sex === s ? 1 : 0))];
      return x.reduce((s, v, j) => s + v * w[j]!, b);
    });
    // and within the observed range: toward the boundary, feature j moves by its whole units in
    // the ball or its room to the range's end, whichever is less. PGD takes at least one whole
    // unit per step on an integer feature (README: where we deviate from METRICS.md §5), so it
    // finds every such row (it found 16 of 92 at ε = 0.1 when rounding undid its steps)
    const lo = stats.map((s) => Math.min(...rows.map((r) => Number(r[s.name]))));
    const hi = stats.map((s) => Math.max(...rows.map((r) => Number(r[s.name]))));
    epsilons.forEach((eps, e) => {
      const reach = stats.reduce((sum, s, j) => sum + (Math.abs(w[j]!) * Math.floor(eps * s.std + 1e-6)) / s.std, 0);
      const reachable = logits.filter((z) => Math.abs(z) <= reach + 1e-4).length;
      expect(flips(gpu)[e]).toBeLessThanOrEqual(reachable);
      let surely = 0; // rows that flip, away from a float32 tie with the threshold
      let ties = 0;
      rows.forEach((r, i) => {
        const z = logits[i]!;
        const inRange = stats.reduce((sum, s, j) => {
          const v = Number(r[s.name]);
          const room = w[j]! * z > 0 ? v - lo[j]! : hi[j]! - v;
          return sum + (Math.abs(w[j]!) * Math.min(Math.floor(eps * s.std + 1e-6), room)) / s.std;
        }, 0);
        if (Math.abs(Math.abs(z) - inRange) < 1e-4) ties++;
        else if (Math.abs(z) < inRange) surely++;
      });
      expect(surely).toBeGreaterThan(10);
      expect(flips(gpu)[e]).toBeGreaterThanOrEqual(surely);
      expect(flips(gpu)[e]).toBeLessThanOrEqual(surely + ties);
    });
    expect(flips(gpu).at(-1)).toBeGreaterThan(100);
  });

  it("packs for a GPU machine under 64 MiB (scripts/gpu/pack.sh), and the pack runs on its own Node.js: a table of webgpu against wasm (scripts/gpu/run.sh --smoke)", () => {
    const pack = spawnSync("bash", [path.join(ROOT, "scripts", "gpu", "pack.sh")], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });
    expect(pack.status).toBe(0);
    const files = ["node.xz", "dawn.node.xz", "app/bench.js", "app/model-worker.js", "app/node_modules/@tensorflow/tfjs-backend-wasm/tfjs-backend-wasm-simd.wasm", "app/node_modules/@tensorflow/tfjs-backend-webgpu/index.js"];
    for (const f of files) expect(fs.existsSync(path.join(ROOT, ".gpu", f))).toBe(true);
    expect(fs.readdirSync(path.join(ROOT, ".gpu")).some((f) => /^libvulkan1_.*\.deb$/.test(f))).toBe(true);
    const bytes = (p: string): number => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).reduce((s, f) => s + bytes(path.join(p, f)), 0) : fs.statSync(p).size);
    expect(bytes(path.join(ROOT, ".gpu"))).toBeLessThan(64 * 1024 * 1024);
    const out = tempDir("assay-gpu-out-");
    // the carried Node.js (not this one), the software adapter allowed as on no real machine
    const run = spawnSync("bash", [path.join(ROOT, "scripts", "gpu", "run.sh"), "--smoke"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, ...SOFTWARE, ASSAY_GPU_CARRIED_NODE: "1", OUT: out },
    });
    expect(run.status).toBe(0);
    const table = fs.readFileSync(path.join(out, "gpu-bench.md"), "utf8");
    expect(table).toMatch(/\| model \| measure \| wasm \(\d+ threads\) \| webgpu \(llvmpipe[^|]*software\) \| webgpu \/ wasm \|/);
    for (const m of ["scoring", "KernelSHAP per explained row", "KernelSHAP model evaluations", "PGD L∞", "PGD gradient evaluations"]) expect(table).toContain(m);
    const gpu = JSON.parse(fs.readFileSync(path.join(out, "webgpu.json"), "utf8")) as { backend: string; rows: Array<{ value: number }> };
    expect(gpu.backend).toBe("webgpu");
    expect(gpu.rows.every((r) => r.value > 0 && Number.isFinite(r.value))).toBe(true);
  });
});
