// Typed, validated environment: the only module that reads process.env.
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  ASSAY_DATA_DIR: z.string().min(1).default("./data"),
  ASSAY_BACKEND: z.enum(["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).optional(),
  ASSAY_MAX_DATASET_BYTES: z.coerce.number().int().positive().default(500 * 1024 * 1024),
  ASSAY_MAX_DATASET_ROWS: z.coerce.number().int().positive().default(20_000_000),
  /** Worker threads for explainability analyses (default: every core). */
  ASSAY_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

/** The validated environment; throws a readable error naming every bad variable. */
export function getEnv(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Absolute path of the data dir (uploads, the embedded SQLite database). */
export function dataDir(): string {
  return path.resolve(getEnv().ASSAY_DATA_DIR);
}
