// Chooses the TensorFlow.js backend at run time: webgpu (a hardware GPU adapter only) →
// tfjs-node-gpu → tfjs-node → wasm → cpu, or the one named by the caller (ASSAY_BACKEND). The
// webgpu and native ones are optional dependencies.
//
// WebGPU runs through Dawn's Node.js binding (the npm package `webgpu`, which ships dawn.node)
// on any Vulkan driver; @tensorflow/tfjs-backend-webgpu finds it as navigator.gpu. A software
// adapter (Mesa's lavapipe, SwiftShader: isFallbackAdapter, or architecture "software") is 8–20×
// slower than wasm, so it is only used when asked for by name with allowSoftwareGpu (tests).

import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

// Optional backends are required at run time through createRequire, so bundlers (Next.js builds
// the app's model-upload route) neither resolve nor bundle packages that may not be installed.
const requireAtRuntime = createRequire(__filename);

export const BACKENDS = ["webgpu", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The GPU adapter a webgpu backend runs on (as the report records it). */
export interface GpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  /** A fallback (software) adapter: a CPU rasteriser such as lavapipe. */
  software: boolean;
}

export interface BackendInfo {
  name: BackendName;
  /** The name TensorFlow.js itself uses ("webgpu", "tensorflow", "wasm", "cpu"). */
  tfName: string;
  tfjsVersion: string;
  /** webgpu only: the adapter. */
  adapter?: GpuAdapter;
}

export interface BackendOptions {
  /** Let ASSAY_BACKEND=webgpu run on a software adapter (never chosen automatically). */
  allowSoftwareGpu?: boolean;
  /** false: the automatic chain does not look for a GPU at all (the caller found no hardware
   *  Vulkan driver: lib/compute/vulkan-drivers.ts), so Dawn is never loaded and prints nothing. */
  probeGpu?: boolean;
}

let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let gpuAdapter: GpuAdapter | undefined;

interface DawnAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface DawnAdapter {
  isFallbackAdapter?: boolean;
  info?: DawnAdapterInfo;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}

/** Dawn's navigator.gpu (from the optional package `webgpu`), installed as the global TensorFlow.js looks for. */
function dawnGpu(): DawnGpu {
  const g = globalThis as unknown as { navigator?: { gpu?: DawnGpu } };
  if (g.navigator?.gpu) return g.navigator.gpu;
  // the package's index is an ES module; its native binding (what it re-exports) loads with require
  const dir = path.dirname(requireAtRuntime.resolve("webgpu/package.json"));
  const platform = process.platform === "darwin" ? "darwin-universal" : `${process.platform}-${process.arch}`;
  const dawn = requireAtRuntime(path.join(dir, "dist", platform, "dawn.node")) as { create(flags: string[]): DawnGpu; globals: Record<string, unknown> };
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  const gpu = dawn.create([]);
  if (g.navigator) Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  return gpu;
}

/** The GPU adapter, refused when it is a software one and software was not asked for. */
async function gpuAdapterFor(allowSoftware: boolean): Promise<GpuAdapter> {
  const adapter = await dawnGpu().requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("no WebGPU adapter: Dawn found no Vulkan driver (install the GPU's driver with Vulkan support and libvulkan1)");
  const info = adapter.info ?? {};
  const description = info.description || info.device || "unknown adapter";
  const software = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter || info.architecture === "software");
  if (software && !allowSoftware) {
    throw new Error(
      `the only WebGPU adapter is a software rasteriser (${description}), 8–20× slower than wasm, so it is never chosen on its own; ASSAY_BACKEND=webgpu with ASSAY_ALLOW_SOFTWARE_GPU=1 uses it anyway (for tests)`,
    );
  }
  return { vendor: info.vendor ?? "", architecture: info.architecture ?? "", description, software };
}

async function tryBackend(name: BackendName, preferred: BackendName | undefined, options: BackendOptions): Promise<string> {
  switch (name) {
    case "webgpu":
      gpuAdapter = await gpuAdapterFor(preferred === "webgpu" && options.allowSoftwareGpu === true);
      requireAtRuntime("@tensorflow/tfjs-backend-webgpu");
      return "webgpu";
    case "tfjs-node-gpu":
      requireAtRuntime("@tensorflow/tfjs-node-gpu");
      return "tensorflow";
    case "tfjs-node":
      requireAtRuntime("@tensorflow/tfjs-node");
      return "tensorflow";
    case "wasm":
      requireAtRuntime("@tensorflow/tfjs-backend-wasm");
      return "wasm";
    case "cpu":
      return "cpu";
  }
}

/**
 * Initialises the backend once per process and returns which one runs. With `preferred`, only
 * that backend is tried and its failure is an error; otherwise the first that works is used.
 */
export function initBackend(preferred?: BackendName, options: BackendOptions = {}): Promise<BackendInfo> {
  if (active && (!preferred || active.name === preferred)) return Promise.resolve(active);
  if (pending && !preferred) return pending;
  pending = (async () => {
    tf.enableProdMode(); // silences the "install tfjs-node" banner; numerics are unchanged
    deviceBufferBytes = Infinity; // until the GPU, if it is chosen, says its limit
    gpuError = null;
    const order = preferred ? [preferred] : BACKENDS;
    const failures: string[] = [];
    for (const name of order) {
      if (!preferred && name === "webgpu" && options.probeGpu === false) {
        failures.push("webgpu: not looked for (no hardware Vulkan driver is installed)");
        continue;
      }
      try {
        const tfName = await tryBackend(name, preferred, options);
        if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend("${tfName}") returned false`);
        await tf.ready();
        active = { name, tfName, tfjsVersion: tf.version.tfjs, ...(name === "webgpu" && gpuAdapter ? { adapter: gpuAdapter } : {}) };
        if (name === "webgpu") watchGpu();
        return active;
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    throw new Error(`No TensorFlow.js backend could start:\n  ${failures.join("\n  ")}`);
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

/**
 * How much larger than wasm's a model call's batch should be on the active backend: 4 on a GPU
 * (webgpu: fewer, larger dispatches; a guess not yet measured on hardware), else 1.
 */
export function batchScale(): number {
  return active?.name === "webgpu" ? 4 : 1;
}

/** The largest buffer the GPU binds (its maxStorageBufferBindingSize, e.g. 128 MiB on lavapipe); Infinity off the GPU. */
let deviceBufferBytes = Infinity;
/** A limit set by a test, over the device's; null when none. */
let testBufferBytes: number | null = null;

/**
 * Most rows a model call may take on the active backend when its widest tensor holds `widest`
 * floats per row: on a GPU each tensor must fit one buffer binding (a larger one is rejected by
 * the device, and its results would be garbage); elsewhere unbounded (callers keep their own
 * batch sizes). At least 1.
 */
export function maxRowsPerCall(widest: number): number {
  const bytes = testBufferBytes ?? deviceBufferBytes;
  if (!Number.isFinite(bytes)) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, Math.floor(bytes / (4 * Math.max(1, widest))));
}

/**
 * Rows per model call for inputs `width` wide whose widest tensor holds `widest` floats per row:
 * about `floats` input floats (× batchScale()), at least `minRows`, at most 2^18 (× batchScale()),
 * and never more than maxRowsPerCall. What scoring (predict.ts batchRows) and KernelSHAP's
 * coalition chunks (shap/evaluate.ts rowsPerCall) size their calls with.
 */
export function rowsPerModelCall(width: number, widest: number, floats: number, minRows: number): number {
  const k = batchScale();
  return Math.min(maxRowsPerCall(widest), Math.max(minRows, Math.min(k << 18, Math.floor((k * floats) / Math.max(1, width)))));
}

/** Testing hook: a buffer limit on any backend, as maxRowsPerCall sees it (a huge one turns the
 *  GPU's splitting off); null restores the device's own. */
export function setBufferLimitForTests(bytes: number | null): void {
  testBufferBytes = bytes;
}

/** The first error the GPU reported since the last read (consumed by the read that throws it). */
let gpuError: string | null = null;
/** Devices already watched (re-selecting the backend keeps its device). */
const watched = new WeakSet<object>();

/** Watches the GPU device for errors (a computation it rejects returns zeros, not an exception). */
function watchGpu(): void {
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number; maxBufferSize?: number }; addEventListener?(type: string, f: (e: { error?: { message?: string } }) => void): void } }).device;
  const limits = device?.limits;
  if (limits?.maxStorageBufferBindingSize) deviceBufferBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize ?? Infinity);
  if (!device || watched.has(device)) return;
  watched.add(device);
  device.addEventListener?.("uncapturederror", (e) => {
    gpuError ??= e.error?.message?.split("\n")[0] ?? "unknown error";
  });
}

/** The backend chosen by initBackend, or null before it ran. */
export function activeBackend(): BackendInfo | null {
  return active;
}

/**
 * A tensor's values on this thread. Always asynchronous: the webgpu backend cannot read
 * synchronously under Node.js (its dataSync needs OffscreenCanvas); on the others data() costs
 * one promise more than dataSync().
 */
export async function readFloats(t: tf.Tensor): Promise<Float32Array> {
  const data = (await t.data()) as Float32Array;
  if (gpuError !== null) {
    // this read's computation (or one before it) was rejected: the error fails the work that
    // reads it, and later work on the device starts clean (one oversized call must not fail every
    // later audit of a long-running worker)
    const message = gpuError;
    gpuError = null;
    throw new Error(`the GPU rejected a computation (${message}); its results are not used`);
  }
  return data;
}
