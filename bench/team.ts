// Team mode benchmark (its own process; `npm run bench -- team`): an Adult audit with exact
// KernelSHAP on 400 rows (12 raw features, 4,094 coalitions, 50 background rows) and PGD on
// 10,000 rows, run end to end (queued → report stored, workers already started) by
//   embedded   the embedded worker, 2 threads
//   bull 1×2   one BullMQ worker process with 2 threads
//   bull 2×1   two BullMQ worker processes with 1 thread each (target: ≥ 90% of 1×2's speed)
// and the scheduling cost of one chunk (200 one-row chunks against the same work in-process).
// Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); uses its own key prefix, deleted after.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTable, printTable } from "./table";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-team-"));
process.env.ASSAY_DATA_DIR = dir;
const REDIS = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PREFIX = `assaybench-${process.pid}`;
process.env.ASSAY_QUEUE_PREFIX = PREFIX;
delete process.env.REDIS_URL;
delete process.env.DATABASE_URL;

const ROOT = path.join(__dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

const table = createTable();
const rows = table.rows;
function record(measure: string, value: string, target = "", ok: boolean | null = null): void {
  table.record("team", measure, value, target, ok);
}

function startWorkers(n: number, env: Record<string, string>): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(process.execPath, [TSX_CLI, path.join(ROOT, "scripts", "worker.ts")], { cwd: ROOT, env: { ...process.env, ASSAY_WORKER_NICE: "0", ...env }, stdio: ["ignore", "pipe", "inherit"] });
      return new Promise<ChildProcess>((resolve) => {
        let out = "";
        child.stdout!.on("data", (b: Buffer) => {
          out += b.toString();
          if (out.includes("waiting for audits")) resolve(child);
        });
      });
    }),
  );
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise((r) => {
    c.once("exit", r);
    c.kill("SIGTERM");
  })));
}

async function main(): Promise<void> {
  const tf = await import("@tensorflow/tfjs");
  const { initBackend } = await import("../lib/engine/backend");
  const backend = await initBackend("wasm");
  const { loadDatasetFile } = await import("../lib/io/dataset-file");
  const { sharedDataset } = await import("../tests/helpers/shared");
  const { adultModelInputs, mlp, modelFiles } = await import("./explain");
  const { prepareDatabase } = await import("../lib/db/ensure");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { resetEnvCache } = await import("../lib/env");
  const { getQueue, resetQueue } = await import("../lib/jobs/queue");
  const adultPath = sharedDataset("adult.csv");
  const adult = await loadDatasetFile(adultPath);
  const { manifest, encoder } = adultModelInputs(adult.table);
  const net = mlp(encoder.width, 32);
  const files = await modelFiles(net, manifest);
  net.dispose();
  const modelDir = path.join(dir, "models", "adult-mlp");
  fs.mkdirSync(modelDir, { recursive: true });
  fs.writeFileSync(path.join(modelDir, "assay.model.json"), JSON.stringify(manifest));
  for (const [name, bytes] of Object.entries(files.files)) fs.writeFileSync(path.join(modelDir, name), bytes);
  void tf;
  await prepareDatabase();

  const spec = {
    name: "team bench",
    dataset: { path: adultPath, label: "income", positive: ">50K" },
    model: { path: "models/adult-mlp" },
    sensitive: ["sex", "race"],
    analyses: {
      shap: { rows: 400, background: { method: "sample", size: 50 }, seed: 3 },
      robustness: { attack: "pgd", norm: "linf", epsilons: [0.05, 0.1, 0.25, 0.5], steps: 20, restarts: 1, rows: 10_000, seed: 3 },
    },
    policy: [],
  };
  const label = adult.table.columns.find((c) => c.name === "income")?.categories;
  if (!label?.includes(">50K")) throw new Error(`adult.csv's income values: ${label?.join(", ")}`);

  type Run = { name: string; ms: number; shapMs: number; robustnessMs: number; metrics: unknown };
  const runs: Run[] = [];
  async function runOnce(name: string, redis: boolean, workers: number, threads: number): Promise<void> {
    if (redis) process.env.REDIS_URL = REDIS;
    else delete process.env.REDIS_URL;
    resetEnvCache();
    await resetQueue();
    const children = await startWorkers(workers, { ASSAY_THREADS: String(threads), ...(redis ? { REDIS_URL: REDIS } : { REDIS_URL: "" }), ASSAY_JOB_POLL_MS: "50" });
    try {
      const a = await getDb().audit.create({ data: { name, spec: { ...spec, name } as object, status: "queued", createdBy: "bench" } });
      const t0 = performance.now();
      await getQueue().enqueue({ auditId: a.id });
      for (;;) {
        const r = await getDb().audit.findUniqueOrThrow({ where: { id: a.id }, select: { status: true, error: true, report: true } });
        if (r.status === "failed") throw new Error(`${name}: ${r.error}`);
        if (r.status === "succeeded") {
          const ms = performance.now() - t0;
          const report = r.report as { metrics: unknown; timings: Array<{ analysis: string; ms: number }> };
          const t = (k: string) => report.timings.find((x) => x.analysis === k)?.ms ?? NaN;
          runs.push({ name, ms, shapMs: t("shap"), robustnessMs: t("robustness"), metrics: report.metrics });
          record(`${name}: queued → report stored (SHAP ${(t("shap") / 1000).toFixed(1)} s, PGD ${(t("robustness") / 1000).toFixed(1)} s)`, `${(ms / 1000).toFixed(1)} s`);
          return;
        }
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await stop(children);
    }
  }
  try {
    await runOnce("embedded worker, 2 threads", false, 1, 2);
    await runOnce("BullMQ, 1 worker process × 2 threads", true, 1, 2);
    await runOnce("BullMQ, 2 worker processes × 1 thread", true, 2, 1);
    const [e, b12, b21] = runs;
    const same = JSON.stringify(e!.metrics) === JSON.stringify(b12!.metrics) && JSON.stringify(e!.metrics) === JSON.stringify(b21!.metrics);
    record("metrics identical in the three runs", same ? "yes" : "NO", "identical", same);
    const ratio = b12!.ms / b21!.ms;
    record("2 processes × 1 thread: speed relative to 1 process × 2 threads", `${(100 * ratio).toFixed(0)}%`, "≥ 90%", ratio >= 0.9);
    record("BullMQ 1×2: speed relative to the embedded worker", `${((100 * e!.ms) / b12!.ms).toFixed(0)}%`);

    // scheduling cost per chunk: 200 one-row chunks of almost no work, against the same call in-process
    process.env.REDIS_URL = REDIS;
    process.env.ASSAY_THREADS = "1";
    resetEnvCache();
    const { Queue } = await import("bullmq");
    const { default: IORedis } = await import("ioredis");
    const { CHUNK_QUEUE, connectionOptions } = await import("../lib/jobs/bull");
    const { createChunkedExecutor } = await import("../lib/jobs/chunks");
    const { startBullWorker } = await import("../lib/jobs/bull-worker");
    const { createLocalExecutor } = await import("../lib/engine/executor");
    const { loadModelDir } = await import("../lib/io/model-dir");
    const w = startBullWorker({ cfg: { url: REDIS, prefix: PREFIX, lockMs: 30_000 }, log: () => {} });
    const chunkQueue = new Queue(CHUNK_QUEUE, { connection: connectionOptions(REDIS), prefix: PREFIX });
    const redis = new IORedis(REDIS, { maxRetriesPerRequest: null });
    const { loaded, files: hashes } = await loadModelDir(modelDir, "models/adult-mlp");
    const local = createLocalExecutor(loaded, backend.name);
    const d = encoder.width;
    const n = 200;
    const job = { width: d, x: encoder.encodeRange(0, n), rows: n, background: encoder.encodeRange(n, n + 1), backgroundRows: 1, backgroundWeights: Float64Array.of(1), masks: new Float32Array(d), coalitions: 1 };
    const times: number[] = [];
    for (let rep = 0; rep < 2; rep++) {
      const ex = createChunkedExecutor({ auditId: `bench-${rep}`, prefix: PREFIX, chunkQueue, redis, model: { path: "models/adult-mlp", files: hashes, backend: backend.name }, base: local, slots: async () => n });
      const t0 = performance.now();
      await ex.coalitionValues(job);
      times.push(performance.now() - t0);
      await ex.dispose();
    }
    const t1 = performance.now();
    for (let r = 0; r < n; r++) await local.coalitionValues({ ...job, x: job.x.subarray(r * d, (r + 1) * d), rows: 1 });
    const localMs = performance.now() - t1;
    const perChunk = (times[1]! - localMs) / n;
    record(`scheduling cost per chunk (${n} one-row chunks, one worker in this process; the second of two runs)`, `${perChunk.toFixed(1)} ms`);
    loaded.dispose();
    redis.disconnect();
    await chunkQueue.close();
    await w.stop();
  } finally {
    await resetQueue();
    await closeDb();
    const { deleteQueueKeys } = await import("../lib/jobs/bull");
    await deleteQueueKeys(REDIS, PREFIX);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`team bench failed: ${(e as Error).stack}\n`);
    process.exit(1);
  },
);
