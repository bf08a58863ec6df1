// A ModelExecutor on a pool of worker threads, one model copy each (with its own TensorFlow.js
// backend or onnxruntime session), so KernelSHAP, TreeSHAP, permutation importance and attacks
// use every core. Explained rows are handed out in small tasks from a queue (balanced, with
// progress); prediction batches are split evenly.

import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { BackendName } from "../engine/backend";
import type { CoalitionJob, ModelExecutor, TreeShapJob } from "../engine/executor";
import type { AttackJob, AttackResult } from "../engine/robustness/attack";
import type { ImportanceJob, ImportanceRepeats } from "../engine/importance/permutation";
import type { FromWorker, ModelFiles, ToWorker } from "./protocol";

const WORKER_FILE = path.join(__dirname, "model-worker.js");

export interface WorkerExecutorOptions {
  files: ModelFiles;
  backend?: BackendName;
  threads?: number;
}

interface Pending {
  resolve: (out: Float64Array | AttackResult | ImportanceRepeats) => void;
  reject: (e: Error) => void;
  progress?: (fraction: number) => void;
}

class PoolWorker {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  backend = "";
  constructor() {
    this.worker = new Worker(WORKER_FILE);
  }
  init(files: ModelFiles, backend?: BackendName): Promise<string> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === "ready") {
          this.backend = m.backend;
          this.worker.off("message", onMessage);
          this.worker.on("message", (msg: FromWorker) => this.dispatch(msg));
          resolve(m.backend);
        } else if (m.type === "error") reject(new Error(m.message));
      };
      this.worker.on("message", onMessage);
      this.worker.once("error", reject);
      this.worker.on("error", (e) => this.failAll(e));
      this.post({ type: "init", files, ...(backend ? { backend } : {}) });
    });
  }
  private dispatch(m: FromWorker): void {
    if (m.type === "result" || m.type === "attackResult" || m.type === "importanceResult") {
      this.pending.get(m.id)?.resolve(m.type === "result" ? m.out : m.result);
      this.pending.delete(m.id);
    } else if (m.type === "progress") {
      this.pending.get(m.id)?.progress?.(m.fraction);
    } else if (m.type === "error") {
      if (m.id === null) this.failAll(new Error(m.message));
      else {
        this.pending.get(m.id)?.reject(new Error(m.message));
        this.pending.delete(m.id);
      }
    }
  }
  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
  post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer);
  }
  request(make: (id: number) => ToWorker, transfer: ArrayBuffer[] = []): Promise<Float64Array> {
    return this.requestAny(make, transfer) as Promise<Float64Array>;
  }
  requestAny(make: (id: number) => ToWorker, transfer: ArrayBuffer[] = [], progress?: (fraction: number) => void): Promise<Float64Array | AttackResult | ImportanceRepeats> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.post(make(id), transfer);
    });
  }
}

/** Starts `threads` workers (default: every core), each loading the model. */
export async function createWorkerExecutor(opts: WorkerExecutorOptions): Promise<ModelExecutor> {
  const threads = Math.max(1, opts.threads ?? os.availableParallelism());
  const workers = Array.from({ length: threads }, () => new PoolWorker());
  let backends: string[];
  try {
    backends = await Promise.all(workers.map((w) => w.init(opts.files, opts.backend)));
  } catch (e) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw e;
  }
  let nextJob = 1;

  /**
   * Hands a job's explained rows to the workers in tasks of `rowsPerTask` from one queue (each
   * worker takes the next task when it finishes one), collects `outWidth` values per row, reports
   * rows done, and drops the job from every worker at the end.
   */
  const rowTasks = async (
    jobId: number,
    job: { x: Float32Array; rows: number; width: number },
    outWidth: number,
    rowsPerTask: number,
    type: "coalitions" | "treeRows",
    onRows?: (done: number) => void,
    release: () => void = () => {
      for (const w of workers) w.post({ type: "drop", jobId });
    },
    onValues?: (start: number, end: number, values: Float64Array) => void,
  ): Promise<Float64Array> => {
    const d = job.width;
    const out = new Float64Array(job.rows * outWidth);
    let next = 0;
    let done = 0;
    const runWorker = async (w: PoolWorker) => {
      while (next < job.rows) {
        const start = next;
        const end = Math.min(job.rows, start + rowsPerTask);
        next = end;
        const x = job.x.slice(start * d, end * d);
        const res = await w.request((id) => ({ type, id, jobId, x, rows: end - start }), [x.buffer as ArrayBuffer]);
        out.set(res, start * outWidth);
        done += end - start;
        // after this worker's next task is posted (the loop continues to its next await)
        if (onValues) queueMicrotask(() => onValues(start, end, res));
        onRows?.(done);
      }
    };
    try {
      await Promise.all(workers.map(runWorker));
    } finally {
      release();
    }
    return out;
  };

  // A coalition job's setup (masks × background terms on every worker) is costly; calls with the
  // same masks and background arrays (team mode's chunks of one KernelSHAP call, which share their
  // inputs) reuse the last one set up. It is dropped when no call uses it and another replaces it.
  const coalitionJobs = new Map<number, { refs: number }>();
  let keptJob: { masks: Float32Array; background: Float32Array; jobId: number } | null = null;
  const dropIfUnused = (jobId: number) => {
    const j = coalitionJobs.get(jobId);
    if (j && j.refs === 0 && keptJob?.jobId !== jobId) {
      coalitionJobs.delete(jobId);
      for (const w of workers) w.post({ type: "drop", jobId });
    }
  };

  return {
    backend: backends[0]!,
    threads,
    async predict(x, rows) {
      const d = rows ? x.length / rows : 0;
      const parts = rows < 4096 ? 1 : threads;
      const per = Math.ceil(rows / parts);
      const results = await Promise.all(
        Array.from({ length: parts }, (_, k) => {
          const start = k * per;
          const end = Math.min(rows, start + per);
          if (end <= start) return Promise.resolve(new Float64Array(0));
          const chunk = x.slice(start * d, end * d);
          return workers[k]!.request((id) => ({ type: "predict", id, x: chunk, rows: end - start }), [chunk.buffer as ArrayBuffer]);
        }),
      );
      const out = new Float64Array(rows);
      let off = 0;
      for (const r of results) {
        out.set(r, off);
        off += r.length;
      }
      return out;
    },
    async coalitionValues(job: CoalitionJob, onRows?: (done: number) => void, onValues?: (start: number, end: number, values: Float64Array) => void) {
      let jobId: number;
      if (keptJob && keptJob.masks === job.masks && keptJob.background === job.background) jobId = keptJob.jobId;
      else {
        jobId = nextJob++;
        for (const w of workers) {
          w.post({
            type: "job",
            jobId,
            width: job.width,
            background: job.background,
            backgroundRows: job.backgroundRows,
            backgroundWeights: job.backgroundWeights,
            masks: job.masks,
            coalitions: job.coalitions,
          });
        }
        coalitionJobs.set(jobId, { refs: 0 });
        const previous = keptJob;
        keptJob = { masks: job.masks, background: job.background, jobId };
        if (previous) dropIfUnused(previous.jobId);
      }
      const entry = coalitionJobs.get(jobId)!;
      entry.refs++;
      // small tasks keep the cores balanced and the progress bar moving
      const rowsPerTask = Math.max(1, Math.min(4, Math.floor(job.rows / (workers.length * 32))));
      return rowTasks(
        jobId,
        job,
        job.coalitions,
        rowsPerTask,
        "coalitions",
        onRows,
        () => {
          entry.refs--;
          dropIfUnused(jobId);
        },
        onValues,
      );
    },
    async treeShap(job: TreeShapJob, onRows?: (done: number) => void) {
      const jobId = nextJob++;
      const { x: _x, rows: _rows, ...setup } = job;
      for (const w of workers) w.post({ type: "treeJob", jobId, ...setup });
      const rowsPerTask = Math.max(1, Math.min(16, Math.floor(job.rows / (workers.length * 16))));
      return rowTasks(jobId, job, job.players + 1, rowsPerTask, "treeRows", onRows);
    },
    async attack(job: AttackJob, onRows?: (done: number) => void) {
      // one large chunk per worker (large batches keep the gradients efficient, also in the
      // bisection, which only sees the rows that flipped), at most 8,192 rows; every row's
      // randomness is seeded by its id, so the result does not depend on the chunking
      const d = job.space.width;
      const E = job.config.epsilons.length;
      const chunk = Math.max(1, Math.min(8192, Math.ceil(job.rows / workers.length)));
      const partDone = new Map<number, number>();
      const report = () => onRows?.(Math.round([...partDone.values()].reduce((a, b) => a + b, 0)));
      const out: AttackResult = {
        flipped: new Uint8Array(job.rows * E),
        minEpsilon: new Float64Array(job.rows),
        points: new Float32Array(job.rows * d),
        scores: new Float64Array(job.rows),
        gradients: 0,
        predictions: 0,
      };
      let next = 0;
      const runWorker = async (w: PoolWorker) => {
        while (next < job.rows) {
          const start = next;
          const end = Math.min(job.rows, start + chunk);
          next = end;
          const part: AttackJob = {
            space: job.space,
            config: job.config,
            x: job.x.slice(start * d, end * d),
            rows: end - start,
            rowIds: job.rowIds.slice(start, end),
            decision: job.decision.slice(start, end),
          };
          const r = (await w.requestAny((id) => ({ type: "attack", id, job: part }), [], (f) => {
            partDone.set(start, f * (end - start));
            report();
          })) as AttackResult;
          out.flipped.set(r.flipped, start * E);
          out.minEpsilon.set(r.minEpsilon, start);
          out.points.set(r.points, start * d);
          out.scores.set(r.scores, start);
          out.gradients += r.gradients;
          out.predictions += r.predictions;
          partDone.set(start, end - start);
          report();
        }
      };
      await Promise.all(workers.map(runWorker));
      return out;
    },
    async importanceRepeats(job: ImportanceJob, x: Float32Array, r0: number, r1: number, onProgress?: (done: number, total: number) => void) {
      // whole repeats per thread (contiguous ranges, in order); the rows once, shared by all threads
      const shared = new Float32Array(new SharedArrayBuffer(x.byteLength));
      shared.set(x);
      const count = r1 - r0;
      const parts = Math.min(workers.length, count);
      const F = job.features.length;
      const doneBy = new Float64Array(parts);
      const results = await Promise.all(
        Array.from({ length: parts }, (_, k) => {
          const a = r0 + Math.floor((k * count) / parts);
          const b = r0 + Math.floor(((k + 1) * count) / parts);
          return workers[k]!.requestAny((id) => ({ type: "importance", id, job, x: shared, r0: a, r1: b }), [], (f) => {
            doneBy[k] = f * (b - a) * F;
            onProgress?.(Math.round(doneBy.reduce((s, v) => s + v, 0)), count * F);
          }) as Promise<ImportanceRepeats>;
        }),
      );
      return { baselines: results.flatMap((r) => r.baselines), values: job.features.map((_, j) => results.flatMap((r) => r.values[j]!)) };
    },
    async rawGradientThroughput(rows, iterations, movable) {
      const rates = await Promise.all(workers.map((w) => w.request((id) => ({ type: "rawGradient", id, rows, iterations, movable }))));
      return rates.reduce((s, r) => s + r[0]!, 0);
    },
    async rawThroughput(rows, iterations, mode = "predict") {
      const rates = await Promise.all(workers.map((w) => w.request((id) => ({ type: "raw", id, rows, iterations, mode }))));
      return rates.reduce((s, r) => s + r[0]!, 0);
    },
    async dispose() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
