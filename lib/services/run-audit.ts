// Use-case: run an audit spec whose paths point at files on disk (the CLI, the worker).
// Loads the dataset and model, starts the TensorFlow.js backend when a model needs it, runs
// the engine and returns the report.

import os from "node:os";
import path from "node:path";
import type { Table } from "../engine/data/table";
import type { ModelExecutor } from "../engine/executor";
import { createWorkerExecutor } from "../compute/worker-executor";
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
  /** Team mode: makes the executor the model work runs on (chunks across worker processes); disposed after the audit. */
  executorFor?: (m: { loaded: AuditModel; path: string; files: FileHash[]; backend: BackendName; dataset: { path: string; sha256: string } }) => Promise<ModelExecutor>;
}

export async function runAuditSpec({ spec, baseDir, onProgress = () => {}, threads: threadsOption, executorFor }: RunAuditOptions): Promise<Report> {
  const env = getEnv();
  const datasetPath = resolveSpecPath(baseDir, spec.dataset.path);
  onProgress({ phase: "loading", fraction: 0 });
  const ds = await loadDatasetFile(datasetPath, {
    displayName: path.basename(datasetPath),
    maxBytes: env.ASSAY_MAX_DATASET_BYTES,
    maxRows: env.ASSAY_MAX_DATASET_ROWS,
    onBytes: (read, total) => onProgress({ phase: "loading", fraction: total ? read / total : 1 }),
  });
  let model = null;
  let backend: BackendInfo | null = null;
  let executor: ModelExecutor | undefined;
  let shapBackground: Table | null = null;
  if (!isScoreModel(spec.model)) {
    backend = await initBackend(env.ASSAY_BACKEND);
    const dir = resolveSpecPath(baseDir, spec.model.path);
    const { loaded, files, modelFiles } = await loadModelDir(dir, spec.model.path);
    model = { loaded, path: spec.model.path, files, ...(loaded.format === "onnx" ? { runtime: `onnxruntime-node ${onnxRuntimeVersion()}` } : {}) };
    const shap = spec.analyses.shap;
    if (shap && "path" in shap.background) {
      const bgPath = resolveSpecPath(baseDir, shap.background.path);
      shapBackground = (await loadDatasetFile(bgPath, { displayName: path.basename(bgPath), maxBytes: env.ASSAY_MAX_DATASET_BYTES, maxRows: 100_000 })).table;
    }
    const refusal = costRefusal(estimateAuditCost(spec, ds.table.rows, rawColumnCount(loaded.manifest.features), loaded.trees !== null), env.ASSAY_MAX_AUDIT_EVALUATIONS);
    if (refusal) {
      loaded.dispose();
      throw invalidInput(refusal, { field: "analyses" });
    }
    const threads = threadsOption ?? env.ASSAY_THREADS ?? os.availableParallelism();
    if ((spec.analyses.shap || spec.analyses.permutation_importance || spec.analyses.robustness) && executorFor) {
      executor = await executorFor({ loaded, path: spec.model.path, files, backend: backend.name, dataset: { path: spec.dataset.path, sha256: ds.sha256 } });
    } else if ((spec.analyses.shap || spec.analyses.permutation_importance || spec.analyses.robustness) && threads > 1) {
      executor = await createWorkerExecutor({ files: modelFiles, backend: backend.name, threads });
    }
  }
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
    await executor?.dispose();
  }
}
