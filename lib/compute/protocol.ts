// Messages between the worker executor and its model workers.

import type { BackendName } from "../engine/backend";
import type { TreeShapJob } from "../engine/executor";
import type { AttackJob, AttackResult } from "../engine/robustness/attack";
import type { ImportanceJob, ImportanceRepeats } from "../engine/importance/permutation";

/** A model's files, as plain bytes, so each worker can load its own copy. */
export interface ModelFiles {
  /** Parsed assay.model.json. */
  manifest: unknown;
  /** Every other file the model is made of, by its name in the model directory. */
  files: Record<string, Uint8Array>;
  label: string;
}

export type ToWorker =
  | { type: "init"; files: ModelFiles; backend?: BackendName }
  | { type: "predict"; id: number; x: Float32Array; rows: number }
  | {
      type: "job";
      jobId: number;
      width: number;
      background: Float32Array;
      backgroundRows: number;
      backgroundWeights: Float64Array;
      masks: Float32Array;
      coalitions: number;
    }
  | { type: "coalitions" | "treeRows"; id: number; jobId: number; x: Float32Array; rows: number }
  | { type: "drop"; jobId: number }
  | { type: "raw"; id: number; rows: number; iterations: number; mode: "predict" | "resident" }
  | { type: "attack"; id: number; job: AttackJob }
  | ({ type: "treeJob"; jobId: number } & Omit<TreeShapJob, "x" | "rows">)
  | { type: "rawGradient"; id: number; rows: number; iterations: number; movable?: Int32Array }
  | { type: "importance"; id: number; job: ImportanceJob; x: Float32Array; r0: number; r1: number };

export type FromWorker =
  | { type: "ready"; backend: string }
  | { type: "result"; id: number; out: Float64Array }
  | { type: "attackResult"; id: number; result: AttackResult }
  | { type: "importanceResult"; id: number; result: ImportanceRepeats }
  | { type: "progress"; id: number; fraction: number }
  | { type: "error"; id: number | null; message: string };
