// Team mode end to end: the built app and a worker process on PostgreSQL (DATABASE_URL, a schema
// of its own, dropped afterwards) and BullMQ on Redis (REDIS_URL, a key prefix of its own, deleted
// afterwards): the demo seeded, an audit queued over the REST API, run by the worker from BullMQ
// and served; the audit page renders; the review and the trail work over HTTP.

import { Client } from "pg";

const BASE = process.env.ASSAY_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const SCHEMA = `assay_team_${process.pid}_${Date.now().toString(36)}`;
process.env.DATABASE_URL = `${BASE}?schema=${SCHEMA}`;
const REDIS = process.env.ASSAY_TEST_REDIS === "0" ? null : (process.env.ASSAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
if (REDIS) {
  process.env.REDIS_URL = REDIS;
  process.env.ASSAY_QUEUE_PREFIX = SCHEMA;
}

// (the app reads DATABASE_URL when it first needs it, after the line above)
import { closeDb, getDb } from "../lib/db/client";
import { prepareDatabase } from "../lib/db/ensure";
import { seedDemo } from "../scripts/seed-demo";
import { startApp, signInCookie, type RunningApp } from "./helpers/server";
import { makeUser, bearer } from "./helpers/users";
import { Queue } from "bullmq";
import { AUDIT_QUEUE, connectionOptions, deleteQueueKeys } from "../lib/jobs/bull";
import { resetQueue } from "../lib/jobs/queue";

let app: RunningApp | null = null;

afterAll(async () => {
  await app?.stop();
  await closeDb();
  await resetQueue();
  if (REDIS) {
    await deleteQueueKeys(REDIS, SCHEMA);
  }
  const c = new Client({ connectionString: BASE });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await c.end();
});

(process.env.ASSAY_TEST_PG === "0" ? it.skip : it)("serves, queues, runs and reviews an audit with PostgreSQL storage", async () => {
  expect((await prepareDatabase()).length).toBeGreaterThan(0);
  await seedDemo();
  const scientist = await makeUser("data_scientist");
  const reviewer = await makeUser("reviewer");
  const v1 = await getDb().audit.findFirstOrThrow({ where: { name: "CPS wages v1" }, include: { project: true, dataset: true, modelVersion: true } });
  const spec = v1.spec as { dataset: Record<string, unknown>; model: Record<string, unknown> };
  app = await startApp({ worker: true });
  const res = await fetch(`${app.url}/api/audits`, {
    method: "POST",
    headers: { ...bearer(scientist.token), "content-type": "application/json" },
    body: JSON.stringify({ project: v1.project!.slug, spec: { ...spec, name: "Team mode audit", dataset: { ...spec.dataset, path: v1.dataset!.path }, model: { ...spec.model, path: v1.modelVersion!.path }, analyses: { performance: { bootstrap: 50 }, fairness: { bootstrap: 50 } }, policy: [{ metric: "impact_ratio", attribute: "gender", min: 0.8 }] } }),
  });
  expect({ status: res.status, body: res.status === 201 ? null : await res.text() }).toEqual({ status: 201, body: null });
  const { id } = (await res.json()) as { id: string };
  let status = "queued";
  for (const end = Date.now() + 120_000; ["queued", "running"].includes(status) && Date.now() < end; ) {
    await new Promise((r) => setTimeout(r, 500));
    status = ((await (await fetch(`${app.url}/api/audits/${id}`, { headers: bearer(reviewer.token) })).json()) as { status: string }).status;
  }
  expect(status).toBe("succeeded");
  if (REDIS) {
    // it went through BullMQ: the audit's job, under this test's prefix, says how it ended
    const q = new Queue(AUDIT_QUEUE, { connection: connectionOptions(REDIS), prefix: SCHEMA });
    const job = await q.getJob(id);
    expect({ state: await job?.getState(), value: job?.returnvalue }).toEqual({ state: "completed", value: "succeeded" });
    await q.close();
  }
  const report = (await (await fetch(`${app.url}/api/audits/${id}?include=report`, { headers: bearer(reviewer.token) })).json()) as { report: { sections: { fairness: unknown } }; review: { state: string } };
  expect(report.report.sections.fairness).toBeDefined();
  expect(report.review.state).toBe("draft");
  const cookie = await signInCookie(app.url, reviewer.actor.email, reviewer.password);
  const page = await fetch(`${app.url}/audits/${id}`, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Team mode audit");
  const post = (t: string, body: unknown) => fetch(`${app!.url}/api/audits/${id}/review`, { method: "POST", headers: { ...bearer(t), "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await post(scientist.token, { action: "submit" })).status).toBe(200);
  expect((await post(reviewer.token, { action: "approve", note: "approved in team mode" })).status).toBe(200);
  const chain = (await (await fetch(`${app.url}/api/events/verify`, { headers: bearer(reviewer.token) })).json()) as { ok: boolean; count: number };
  expect(chain.ok).toBe(true);
  expect(chain.count).toBeGreaterThanOrEqual(6); // tokens, sign-in, start, finish, submit, approve
  // it really is PostgreSQL: the audit row is in this test's schema
  const c = new Client({ connectionString: BASE });
  await c.connect();
  const rows = (await c.query(`SELECT "reviewState" FROM "${SCHEMA}"."Audit" WHERE id = $1`, [id])).rows;
  await c.end();
  expect(rows).toEqual([{ reviewState: "approved" }]);
}, 300_000);
