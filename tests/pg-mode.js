// Team-mode runs of the integration tests (jest project "int-pg"): PostgreSQL and BullMQ. Each test file gets a
// PostgreSQL schema of its own on ASSAY_TEST_PG_URL (default: this machine's PostgreSQL,
// postgresql://postgres@127.0.0.1:5432/test), migrated before its tests and dropped after.
// Runs before the test file's modules are loaded, so the app reads DATABASE_URL from the start.
const base = process.env.ASSAY_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const schema = `assay_it_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
process.env.DATABASE_URL = `${base}?schema=${schema}`;
// ... and BullMQ on this machine's Redis (ASSAY_TEST_REDIS_URL), under a key prefix of its own
// that is deleted afterwards; ASSAY_TEST_REDIS=0 keeps the embedded queue
const redisUrl = process.env.ASSAY_TEST_REDIS === "0" ? null : (process.env.ASSAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
if (redisUrl) {
  process.env.REDIS_URL = redisUrl;
  process.env.ASSAY_QUEUE_PREFIX = schema;
}

beforeAll(async () => {
  const { prepareDatabase } = require("../lib/db/ensure");
  await prepareDatabase();
}, 60_000);

afterAll(async () => {
  if (redisUrl) {
    await require("../lib/jobs/queue").resetQueue();
    await require("../lib/jobs/bull").deleteQueueKeys(redisUrl, schema);
  }
  const { Client } = require("pg");
  const c = new Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
});
