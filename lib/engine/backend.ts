// Chooses the TensorFlow.js backend at run time: tfjs-node-gpu → tfjs-node → wasm → cpu, or
// the one named by the caller (ASSAY_BACKEND). The native ones are optional dependencies.

import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";

// Optional backends are required at run time through createRequire, so bundlers (Next.js builds
// the app's model-upload route) neither resolve nor bundle packages that may not be installed.
const requireAtRuntime = createRequire(__filename);

export const BACKENDS = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendInfo {
  name: BackendName;
  /** The name TensorFlow.js itself uses ("tensorflow", "wasm", "cpu"). */
  tfName: string;
  tfjsVersion: string;
}

let active: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
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
export function initBackend(preferred?: BackendName): Promise<BackendInfo> {
  if (active && (!preferred || active.name === preferred)) return Promise.resolve(active);
  if (pending && !preferred) return pending;
  pending = (async () => {
    tf.enableProdMode(); // silences the "install tfjs-node" banner; numerics are unchanged
    const order = preferred ? [preferred] : BACKENDS;
    const failures: string[] = [];
    for (const name of order) {
      try {
        const tfName = await tryBackend(name);
        if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend("${tfName}") returned false`);
        await tf.ready();
        active = { name, tfName, tfjsVersion: tf.version.tfjs };
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

/** The backend chosen by initBackend, or null before it ran. */
export function activeBackend(): BackendInfo | null {
  return active;
}
