// Typed, validated environment: the only module that reads process.env.
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  ASSAY_DATA_DIR: z.string().min(1).default("./data"),
  ASSAY_BACKEND: z.enum(["webgpu", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).optional(),
  /** With ASSAY_BACKEND=webgpu: run on a software GPU adapter (lavapipe) too; never chosen automatically (tests). */
  ASSAY_ALLOW_SOFTWARE_GPU: z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.enum(["0", "1"]).default("0")).transform((v) => v === "1"),
  ASSAY_MAX_DATASET_BYTES: z.coerce.number().int().positive().default(500 * 1024 * 1024),
  ASSAY_MAX_DATASET_ROWS: z.coerce.number().int().positive().default(20_000_000),
  /** Worker threads for explainability analyses (default: every core). */
  ASSAY_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Team mode: postgresql://… stores everything in PostgreSQL (its ?schema= honoured); unset: SQLite in the data dir. */
  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL (unset: SQLite in ASSAY_DATA_DIR)")
      .optional(),
  ),
  /** Team mode: redis://… runs audits on BullMQ queues, split into chunks across every worker process; unset: the embedded queue. */
  REDIS_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// or rediss:// URL (unset: the embedded queue)").optional()),
  /** BullMQ key prefix (several Assay installations can share one Redis with different prefixes). */
  ASSAY_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, "ASSAY_QUEUE_PREFIX may hold letters, digits, '_', '.' and '-'").default("bull"),
  /** Team mode: audit chunks one worker process runs at once. */
  ASSAY_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Team mode: a job's lock length; a worker that dies is noticed (its chunk handed to another) within about this long. */
  ASSAY_QUEUE_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  /** Largest model upload (all files, or the zip, together). */
  ASSAY_MAX_MODEL_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  /** The first admin, created on first start (password printed once unless given). */
  ASSAY_ADMIN_EMAIL: z.string().email().default("admin@localhost"),
  ASSAY_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Session signing secret; generated into the data dir when absent. */
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  /** Optional single sign-on (OpenID Connect). */
  ASSAY_OIDC_ISSUER: z.string().url().optional(),
  ASSAY_OIDC_CLIENT_ID: z.string().min(1).optional(),
  ASSAY_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  ASSAY_OIDC_NAME: z.string().min(1).default("Single sign-on"),
  ASSAY_OIDC_DEFAULT_ROLE: z.enum(["admin", "data_scientist", "reviewer"]).default("reviewer"),
  /** Comma-separated email domains allowed to sign in with SSO (e.g. "example.com,example.org"); empty: any. */
  ASSAY_OIDC_ALLOWED_DOMAINS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean)),
  /** An audit whose estimated model evaluations exceed this is refused before it runs (lib/engine/cost.ts). */
  ASSAY_MAX_AUDIT_EVALUATIONS: z.coerce.number().positive().default(1e10),
  /** Wall-clock limit of one audit in a worker; past it the audit fails with a message saying so. */
  ASSAY_MAX_AUDIT_SECONDS: z.coerce.number().int().positive().default(6 * 3600),
  /** Audits one user may have queued or running at once. */
  ASSAY_MAX_QUEUED_PER_USER: z.coerce.number().int().positive().default(20),
  /** Job worker: lease length and poll interval. */
  ASSAY_JOB_LEASE_SECONDS: z.coerce.number().int().min(5).default(60),
  ASSAY_JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /** Scheduling niceness of a worker process and its threads (0–19): audits yield the CPU to the web server. */
  ASSAY_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
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

/** Forget the parsed environment (tests that change variables). */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Absolute path of the data dir (uploads, the embedded SQLite database). */
export function dataDir(): string {
  return path.resolve(getEnv().ASSAY_DATA_DIR);
}
