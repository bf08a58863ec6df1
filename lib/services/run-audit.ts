// Use-case: run an audit spec whose paths point at files on disk (the CLI, the worker).
// Loads the dataset and model, starts the TensorFlow.js backend when a model needs it, runs
// the engine and returns the report.

import path from "node:path";
import type { Table } from "../engine/data/table";
import type { ModelExecutor } from "../engine/executor";
import { acquirePool, defaultThreads, type Acquired } from "../jobs/model-cache";
import { createLocalExecutor } from "../engine/executor";
import { permutationRepeats } from "../engine/importance/permutation";
import { getEnv } from "../env";
import { initBackend, type BackendInfo, type BackendName } from "../engine/backend";
import type { AuditModel } from "../engine/model/model";
import type { FileHash } from "../report/types";
import { runAudit, type AuditProgress } from "../engine/audit";
import type { Report } from "../report/types";
import { isScoreModel, type TAuditSpec } from "../spec/schema";
import { loadDatasetFile } from "../io/dataset-file";
import { loadModelDir } from "../io/model-dir";
import { onnxRuntimeVersion } from "../engine/model/onnx/runtime";
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
  /** Team mode: makes the executor the model work runs on (chunks across worker processes); disposed after the audit. */
  executorFor?: (m: { loaded: AuditModel; path: string; files: FileHash[]; backend: BackendName; dataset: { path: string; sha256: string } }) => Promise<ModelExecutor>;
}

/** Below this many model evaluations (≈ 0.1 s on one wasm thread) the analyses run on the calling thread: a pool costs more to start. */
export const SMALL_JOB_EVALUATIONS = 1_000_000;

export async function runAuditSpec({ spec, baseDir, onProgress = () => {}, threads: threadsOption, keepExecutor = false, executorFor }: RunAuditOptions): Promise<Report> {
  const env = getEnv();
  const datasetPath = resolveSpecPath(baseDir, spec.dataset.path);
  onProgress({ phase: "loading", fraction: 0 });
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
  const threads = threadsOption ?? defaultThreads();
  const modelWork = Boolean(spec.analyses.shap || spec.analyses.permutation_importance || spec.analyses.robustness);
  if (isScoreModel(spec.model)) {
    await datasetReady;
  } else {
    // the model, the backend and (when the spec has model work) the worker-thread pool start
    // while the dataset streams in; the pool is dropped again when the work turns out small
    let pool: Promise<Acquired> | null = null;
    try {
      backend = await initBackend(env.ASSAY_BACKEND);
      const dir = resolveSpecPath(baseDir, spec.model.path);
      const { loaded, files, modelFiles } = await loadModelDir(dir, spec.model.path);
      model = { loaded, path: spec.model.path, files, ...(loaded.format === "onnx" ? { runtime: `onnxruntime-node ${onnxRuntimeVersion()}` } : {}) };
      if (modelWork && !executorFor && threads > 1) {
        pool = acquirePool({ files, modelFiles, backend: backend.name, threads });
        pool.catch(() => {}); // awaited below
      }
      const shap = spec.analyses.shap;
      if (shap && "path" in shap.background) {
        const bgPath = resolveSpecPath(baseDir, shap.background.path);
        shapBackground = (await loadDatasetFile(bgPath, { displayName: path.basename(bgPath), maxBytes: env.ASSAY_MAX_DATASET_BYTES, maxRows: 100_000 })).table;
      }
      const ds = await datasetReady;
      const cost = estimateAuditCost(spec, ds.table.rows, rawColumnCount(loaded.manifest.features), loaded.trees !== null);
      const refusal = costRefusal(cost, env.ASSAY_MAX_AUDIT_EVALUATIONS);
      if (refusal) throw invalidInput(refusal, { field: "analyses" });
      if (modelWork && executorFor) {
        const ex = await executorFor({ loaded, path: spec.model.path, files, backend: backend.name, dataset: { path: spec.dataset.path, sha256: ds.sha256 } });
        executor = ex;
        disposeExecutor = () => ex.dispose();
      } else if (pool) {
        const small = cost.evaluations - ds.table.rows < SMALL_JOB_EVALUATIONS;
        const started = pool;
        if (small) void started.then((p) => p.release({ dispose: !keepExecutor }), () => {});
        else {
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
    } catch (e) {
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
    importanceRepeats: async (job, x, r0, r1, onProgress) => {
      const ex = await ready;
      return ex.importanceRepeats ? ex.importanceRepeats(job, x, r0, r1, onProgress) : permutationRepeats({ ...job, executor: ex, encode: () => x, onProgress }, r0, r1);
    },
    rawGradientThroughput: async (rows, iterations) => (await ready).rawGradientThroughput(rows, iterations),
    rawThroughput: async (rows, iterations, mode) => (await ready).rawThroughput(rows, iterations, mode),
    dispose: async () => {},
  };
}
