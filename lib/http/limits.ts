// The request size limits of the upload endpoints, from the environment (one place).

import { getEnv } from "../env";
import type { MultipartLimits } from "./body";

const MB = 1024 * 1024;

/** A JSON audit spec (POST /api/audits with stored paths). */
export const JSON_SPEC_BYTES = 1 * MB;

/** Model uploads and descriptions: the files together within ASSAY_MAX_MODEL_BYTES. */
export function modelUploadLimits(): MultipartLimits {
  const max = getEnv().ASSAY_MAX_MODEL_BYTES;
  return { maxFileBytes: max, maxTotalBytes: max, maxFiles: 1000, maxFieldBytes: 1 * MB, maxFields: 20, variable: "ASSAY_MAX_MODEL_BYTES" };
}

/** `assay submit`: a spec, one dataset (ASSAY_MAX_DATASET_BYTES) and the model files (ASSAY_MAX_MODEL_BYTES). */
export function submitUploadLimits(): MultipartLimits {
  const env = getEnv();
  return {
    maxFileBytes: Math.max(env.ASSAY_MAX_DATASET_BYTES, env.ASSAY_MAX_MODEL_BYTES),
    maxTotalBytes: env.ASSAY_MAX_DATASET_BYTES + env.ASSAY_MAX_MODEL_BYTES + 1 * MB,
    maxFiles: 1002,
    maxFieldBytes: 1 * MB,
    maxFields: 20,
    variable: "ASSAY_MAX_DATASET_BYTES / ASSAY_MAX_MODEL_BYTES",
  };
}
