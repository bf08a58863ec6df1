// A helper thread for permutation importance on the calling thread (a small job: no pool).
// Permutation importance of a small model is as much scoring as model work (10,000 rows × 12
// features × 10 repeats of a 12-32-1 MLP: ~70 ms of model kernels, ~35 ms of AUCs, ~15 ms of
// permutations), and while the model runs here the second core is idle. This thread draws the
// permutations (the same streams as the engine's own path: the same numbers) into shared slots
// and scores the probabilities each model call leaves there while this thread runs the next
// call; messages only say which slot is ready. It loads only the engine's
// pure code, so it starts in a few tens of milliseconds: run-audit.ts starts it with the audit,
// while the dataset and the model load.

import path from "node:path";
import { Worker } from "node:worker_threads";
import { SideScorerUnavailable, type PermutedPlan, type SideScorer } from "../engine/importance/permutation";

const WORKER_FILE = path.join(__dirname, "importance-worker.js");

/** Model calls handed out at once: one being run here, the next ones drawn, one being scored. */
export const HELPER_SLOTS = 3;

export type ToHelper =
  | { type: "start"; run: number; plan: PermutedPlan; y: Uint8Array; w: Float64Array | null; baseline: Float64Array | Float32Array; perms: SharedArrayBuffer[]; scores: SharedArrayBuffer[] }
  | { type: "scores"; run: number; r: number; js: number[]; slot: number; float32: boolean }
  | { type: "stop" };

export type FromHelper =
  | { type: "group"; run: number; r: number; js: number[]; slot: number }
  | { type: "scored"; run: number; count: number }
  | { type: "done"; run: number; baseline: number; scores: number[][] }
  | { type: "error"; run: number | null; message: string };

/** A run's shared slots: per slot, G permutations of `size` rows (drawn there) and G × size
 *  probabilities (written here, as float32 or float64, the model's own values). */
export function slotViews(perms: SharedArrayBuffer[], scores: SharedArrayBuffer[], plan: PermutedPlan) {
  const { group: G, size } = plan;
  return {
    perms: perms.map((b) => Array.from({ length: G }, (_, g) => new Int32Array(b, g * size * 4, size))),
    scores32: scores.map((b) => new Float32Array(b, 0, G * size)),
    scores64: scores.map((b) => new Float64Array(b, 0, G * size)),
  };
}

export interface ImportanceHelper extends SideScorer {
  dispose(): Promise<void>;
}

/** Starts the helper thread (null where a worker thread cannot be started). `file` is for tests. */
export function startImportanceHelper(file = WORKER_FILE): ImportanceHelper | null {
  let worker: Worker;
  try {
    worker = new Worker(file);
  } catch {
    return null;
  }
  worker.unref(); // never what keeps a process alive; ref'd while a run waits on it
  let failure: string | null = null;
  let current: ((m: FromHelper) => void) | null = null;
  let runs = 0;
  const fail = (why: string) => {
    failure ??= why;
    current?.({ type: "error", run: null, message: why });
  };
  worker.on("error", (e) => fail(`importance helper thread failed: ${e.message}`));
  worker.on("exit", (code) => fail(`importance helper thread exited (${code})`));
  worker.on("message", (m: FromHelper) => current?.(m));

  return {
    run(plan, y, w, baseline, permuted, onScored) {
      if (failure !== null || current !== null) return Promise.reject(new SideScorerUnavailable(failure ?? "importance helper thread busy"));
      worker.ref();
      const id = ++runs; // messages of an abandoned run may still be on their way: each names its run
      const permBuffers = Array.from({ length: HELPER_SLOTS }, () => new SharedArrayBuffer(plan.group * plan.size * 4));
      const scoreBuffers = Array.from({ length: HELPER_SLOTS }, () => new SharedArrayBuffer(plan.group * plan.size * 8));
      const views = slotViews(permBuffers, scoreBuffers, plan);
      return new Promise<{ baseline: number; scores: number[][] }>((resolve, reject) => {
        const queue: { r: number; js: number[]; slot: number }[] = [];
        let working = false;
        let settled = false;
        const finish = (e: Error | null, result?: { baseline: number; scores: number[][] }) => {
          if (settled) return;
          settled = true;
          current = null;
          worker.unref();
          if (e) reject(e);
          else resolve(result!);
        };
        // the model calls, one at a time and in order, as the helper hands out their permutations
        const work = async () => {
          if (working) return;
          working = true;
          try {
            while (queue.length > 0 && !settled) {
              const { r, js, slot } = queue.shift()!;
              const p = await permuted(js, views.perms[slot]!.slice(0, js.length));
              if (settled) break;
              const float32 = p instanceof Float32Array;
              (float32 ? views.scores32[slot]! : views.scores64[slot]!).set(p);
              worker.postMessage({ type: "scores", run: id, r, js, slot, float32 } satisfies ToHelper);
            }
          } catch (e) {
            // the model's own error: not the helper's, so not retried without it
            worker.postMessage({ type: "stop" } satisfies ToHelper);
            finish(e instanceof Error ? e : new Error(String(e)));
          } finally {
            working = false;
          }
        };
        current = (m) => {
          if (m.run !== id && m.run !== null) return;
          if (m.type === "group") {
            queue.push(m);
            void work();
          } else if (m.type === "scored") {
            for (let k = 0; k < m.count; k++) onScored();
          } else if (m.type === "done") finish(null, { baseline: m.baseline, scores: m.scores });
          else finish(new SideScorerUnavailable(m.message));
        };
        worker.postMessage({ type: "start", run: id, plan, y, w, baseline, perms: permBuffers, scores: scoreBuffers } satisfies ToHelper);
      });
    },
    async dispose() {
      failure ??= "disposed";
      await worker.terminate();
    },
  };
}
