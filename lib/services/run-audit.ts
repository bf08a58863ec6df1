// Use-case: run an audit spec whose paths point at files on disk (the CLI, the worker).
// Loads the dataset and model, starts the TensorFlow.js backend when a model needs it, runs
// the engine and returns the report.

import fs from "node:fs";
import path from "node:path";
import type { Table } from "../engine/data/table";
import type { ModelExecutor } from "../engine/executor";
import { acquirePool, defaultThreads, type Acquired } from "../jobs/model-cache";
import { configuredBackend } from "../compute/configured-backend";
import { startImportanceHelper, type ImportanceHelper } from "../compute/importance-helper";
import { createLocalExecutor } from "../engine/executor";
import { runImportanceRepeats } from "../engine/importance/permutation";
import { describeEnsemble } from "../engine/trees/ensemble";
import { getEnv } from "../env";
import type { BackendInfo, BackendName } from "../engine/backend";
import type { AuditModel } from "../engine/model/model";
import type { FileHash } from "../report/types";
import { runAudit, type AuditProgress } from "../engine/audit";
import type { Report } from "../report/types";
import { isScoreModel, type TAuditSpec } from "../spec/schema";
import { loadDatasetFile } from "../io/dataset-file";
import { loadModelDir } from "../io/model-dir";
import { executionProviders, onnxRuntimeVersion } from "../engine/model/onnx/runtime";
import { resolveSpecPath } from "../io/spec-file";
import { ENGINE_VERSION } from "../version";
import { costRefusal, estimateAuditCost, rawColumnCount } from "../engine/cost";
import { invalidInput } from "../errors";

export type RunProgress = AuditProgress;

export interface RunAuditOptions {
  spec: TAuditSpec;
  /** Directory that relative paths in the spec are resolved against. */
  baseDir: string;
  onProgress?: (p: RunProgress) => void;
  /** Worker threads for explainability (default: ASSAY_THREADS, else every core; 1 = this thread). */
  threads?: number;
  /** Keep the worker-thread pool for the next audit of the same model (a long-lived job worker; closeModelCache ends it). Default: disposed after the audit. */
  keepExecutor?: boolean;
  /** Model evaluations from which a pool is used (default SMALL_JOB_EVALUATIONS; tests set 0 to use one on a small audit). */
  poolFrom?: number;
  /** Team mode: makes the executor the model work runs on (chunks across worker processes); disposed after the audit. */
  executorFor?: (m: { loaded: AuditModel; path: string; files: FileHash[]; backend: BackendName; dataset: { path: string; sha256: string } }) => Promise<ModelExecutor>;
}

/**
 * Model work below which the analyses run on the calling thread. Starting a pool costs each
 * thread ~1 s of CPU (Node, TensorFlow.js, the wasm backend, the model), measured on this 2-core
 * machine as ~1 s more for the CPS demo (10 M evaluations: 2.85 s on one thread, 3.8 s with 2),
 * so a one-off run (the CLI) takes threads only from ~30 M evaluations (≈ 1.5 s on one thread; a
 * tree ensemble's evaluations weigh trees × depth / 50 each); a long-lived job worker, which keeps
 * its pools between audits, from 1 M.
 */
export const SMALL_JOB_EVALUATIONS = { oneOff: 30_000_000, kept: 1_000_000 } as const;

/** Datasets from this size on start the pool while they load (~1 s of parsing and more). */
export const EARLY_POOL_DATASET_BYTES = 20 * 1024 * 1024;

export async function runAuditSpec({ spec, baseDir, onProgress = () => {}, threads: threadsOption, keepExecutor = false, poolFrom, executorFor }: RunAuditOptions): Promise<Report> {
  const env = getEnv();
  const datasetPath = resolveSpecPath(baseDir, spec.dataset.path);
  onProgress({ phase: "loading", fraction: 0 });
  const datasetBytes = fileSize(datasetPath);
  const datasetReady = loadDatasetFile(datasetPath, {
    displayName: path.basename(datasetPath),
    maxBytes: env.ASSAY_MAX_DATASET_BYTES,
    maxRows: env.ASSAY_MAX_DATASET_ROWS,
    onBytes: (read, total) => onProgress({ phase: "loading", fraction: total ? read / total : 1 }),
  });
  let model = null;
  let backend: BackendInfo | null = null;
  let executor: ModelExecutor | undefined;
  let disposeExecutor = async () => {};
  let shapBackground: Table | null = null;
  let threads = threadsOption ?? defaultThreads();
  let helper: ImportanceHelper | null = null;
  let helperUsed = false;
  const modelWork = Boolean(spec.analyses.shap || spec.analyses.permutation_importance || spec.analyses.robustness);
  if (isScoreModel(spec.model)) {
    await datasetReady;
  } else {
    // the model and the backend load while the dataset streams in; so does the worker-thread
    // pool when the dataset is large (its load takes long enough to hide the pool's start, and the
    // work is probably large), else the pool starts once the work's size is known, and only if it
    // is worth its start (SMALL_JOB_EVALUATIONS); either way scoring, performance and fairness run
    // while it finishes starting
    let pool: Promise<Acquired> | null = null;
    let usesPool = false; // once the backend is known
    const keptPool = (p: Promise<Acquired>) => {
      p.catch(() => {}); // awaited below
      return p;
    };
    try {
      const started = await configuredBackend();
      backend = started;
      threads = threadsOption ?? defaultThreads(started.name);
      usesPool = modelWork && !executorFor && threads > 1;
      // a small job's permutation importance draws and scores on a helper thread (started now: it
      // is ready by the time the data and the model are)
      if (usesPool && spec.analyses.permutation_importance) helper = startImportanceHelper();
      const dir = resolveSpecPath(baseDir, spec.model.path);
      const { loaded, files, modelFiles } = await loadModelDir(dir, spec.model.path);
      model = { loaded, path: spec.model.path, files, ...(loaded.format === "onnx" ? { runtime: `onnxruntime-node ${onnxRuntimeVersion()}${executionProviders()[0] === "webgpu" ? " (WebGPU execution provider)" : ""}` } : {}) };
      const startPool = () => keptPool(acquirePool({ files, modelFiles, backend: backend!.name, threads }));
      if (usesPool && datasetBytes >= EARLY_POOL_DATASET_BYTES) pool = startPool();
      const shap = spec.analyses.shap;
      if (shap && "path" in shap.background) {
        const bgPath = resolveSpecPath(baseDir, shap.background.path);
        shapBackground = (await loadDatasetFile(bgPath, { displayName: path.basename(bgPath), maxBytes: env.ASSAY_MAX_DATASET_BYTES, maxRows: 100_000 })).table;
      }
      const ds = await datasetReady;
      const cost = estimateAuditCost(spec, ds.table.rows, rawColumnCount(loaded.manifest.features), loaded.trees !== null, shapBackground?.rows);
      const refusal = costRefusal(cost, env.ASSAY_MAX_AUDIT_EVALUATIONS);
      if (refusal) throw invalidInput(refusal, { field: "analyses" });
      if (modelWork && executorFor) {
        const ex = await executorFor({ loaded, path: spec.model.path, files, backend: backend.name, dataset: { path: spec.dataset.path, sha256: ds.sha256 } });
        executor = ex;
        disposeExecutor = () => ex.dispose();
      } else if (usesPool) {
        // a tree ensemble's evaluation walks every tree: weigh it against an MLP's (~one 50-node walk)
        const weight = loaded.trees ? Math.max(1, (loaded.trees.trees.length * describeEnsemble(loaded.trees).maxDepth) / 50) : 1;
        const small = (cost.evaluations - ds.table.rows) * weight < (poolFrom ?? (keepExecutor ? SMALL_JOB_EVALUATIONS.kept : SMALL_JOB_EVALUATIONS.oneOff));
        if (small && pool) void pool.then((p) => p.release({ dispose: !keepExecutor }), () => {});
        if (small && helper) {
          const h = helper;
          executor = createLocalExecutor(loaded, backend.name, h);
          disposeExecutor = () => h.dispose();
          helperUsed = true;
        } else if (!small) {
          pool ??= startPool();
          const started = pool;
          // the analyses that need no pool (scoring, performance, fairness) start now, while the
          // threads finish starting; the model work waits for them
          const local = createLocalExecutor(loaded, backend.name);
          const name = backend.name;
          executor = deferredExecutor(
            started.then((p) => (p.executor.backend === name ? p.executor : local)),
            threads,
            name,
          );
          disposeExecutor = async () => {
            await started.then((p) => p.release({ dispose: !keepExecutor }), () => {});
          };
        }
      }
      if (helper && !helperUsed) void helper.dispose(); // not used: the pool or team mode runs the model work
    } catch (e) {
      void helper?.dispose();
      model?.loaded.dispose();
      await datasetReady.catch(() => {});
      if (pool) await pool.then((p) => p.release({ dispose: !keepExecutor }), () => {});
      throw e;
    }
  }
  const ds = await datasetReady;
  try {
    return await runAudit(
      {
        spec,
        table: ds.table,
        dataset: { path: spec.dataset.path, sha256: ds.sha256, bytes: ds.bytes },
        model,
        backend,
        executor,
        shapBackground,
        engineVersion: ENGINE_VERSION,
        loadMs: ds.ms,
        nodeVersion: process.version,
      },
      onProgress,
    );
  } finally {
    model?.loaded.dispose();
    await disposeExecutor();
  }
}

/**
 * An executor whose model work waits for `ready` (a thread pool still starting); `threads` and
 * `backend` are known up front (a pool on another backend is replaced by this thread's model
 * when it resolves, so the numbers never depend on which ran).
 */
export function deferredExecutor(ready: Promise<ModelExecutor>, threads: number, backend: string): ModelExecutor {
  return {
    backend,
    threads,
    ready: async () => {
      await ready;
    },
    predict: async (x, rows) => (await ready).predict(x, rows),
    coalitionValues: async (job, onRows, onValues) => (await ready).coalitionValues(job, onRows, onValues),
    treeShap: async (job, onRows) => (await ready).treeShap(job, onRows),
    attack: async (job, onRows) => (await ready).attack(job, onRows),
    importanceRepeats: async (job, x, r0, r1, onProgress) => runImportanceRepeats(await ready, job, () => x, r0, r1, onProgress),
    rawGradientThroughput: async (rows, iterations, movable) => (await ready).rawGradientThroughput(rows, iterations, movable),
    rawThroughput: async (rows, iterations, mode) => (await ready).rawThroughput(rows, iterations, mode),
    dispose: async () => {},
  };
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0; // loadDatasetFile reports a missing file
  }
}
