// Archive, restore and delete: lists hide archived things; deleting is refused for anything an
// approved audit uses (the audit named); a deleted dataset's file leaves the disk (inside the data
// dir only); a failed audit may be deleted by whoever started it; every step is in the trail.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { dataDir } from "../lib/env";
import { writeAuditReport } from "../lib/db/report-column";
import { deleteForGood, setArchived } from "../lib/services/retention";
import { listAudits } from "../lib/services/list-audits";
import { listAuditsForApi } from "../lib/services/audits";
import { listProjects } from "../lib/services/projects";
import { reviewAudit } from "../lib/services/review";
import { refusal } from "./helpers/refusal";
import { makeUser, type TestUser } from "./helpers/users";

let ds: TestUser;
let ds2: TestUser;
let rev: TestUser;
let admin: TestUser;


/** A project with a dataset file in the data dir, a model version folder, and one audit on them. */
async function world(name: string, opts: { approved?: boolean; status?: string; by?: TestUser } = {}) {
  const db = getDb();
  const p = await db.project.create({ data: { slug: `${name}-${Math.random().toString(36).slice(2, 7)}`, name } });
  const rel = path.join("projects", p.id, "datasets", "d1", "people.csv");
  fs.mkdirSync(path.dirname(path.join(dataDir(), rel)), { recursive: true });
  fs.writeFileSync(path.join(dataDir(), rel), "a,b\n1,2\n");
  const d = await db.dataset.create({ data: { projectId: p.id, name: "people.csv", path: rel, sha256: "0".repeat(64), sizeBytes: 8, rows: 1, columns: {}, createdBy: "t" } });
  const modelRel = path.join("projects", p.id, "models", "m1");
  fs.mkdirSync(path.join(dataDir(), modelRel), { recursive: true });
  fs.writeFileSync(path.join(dataDir(), modelRel, "model.json"), "{}");
  const m = await db.model.create({ data: { projectId: p.id, name: "m" } });
  const v = await db.modelVersion.create({ data: { modelId: m.id, version: "v1", kind: "tfjs-layers", path: modelRel, createdBy: "t" } });
  const by = opts.by ?? ds;
  const a = await db.audit.create({ data: { projectId: p.id, datasetId: d.id, modelVersionId: v.id, name: `${name} audit`, spec: {}, status: opts.status ?? "succeeded", createdBy: by.actor.email, createdById: by.actor.id } });
  if ((opts.status ?? "succeeded") === "succeeded") await db.$transaction((tx) => writeAuditReport(tx, a.id, { id: a.id }));
  if (opts.approved) {
    await reviewAudit(ds.actor, a.id, { action: "submit" });
    await reviewAudit(rev.actor, a.id, { action: "approve", note: "approved for the retention test" });
  }
  return { project: p, dataset: d, version: v, audit: a, datasetFile: path.join(dataDir(), rel), modelDir: path.join(dataDir(), modelRel) };
}

beforeAll(async () => {
  ensureDatabase();
  [ds, ds2, rev, admin] = await Promise.all([makeUser("data_scientist"), makeUser("data_scientist"), makeUser("reviewer"), makeUser("admin")]);
});

afterAll(async () => {
  await closeDb();
});

describe("archive and restore", () => {
  it("hides an archived audit and project from the lists, keeps them, and restores them; reviewers may not", async () => {
    const w = await world("Archive me");
    expect((await listAudits(rev.actor)).map((a) => a.id)).toContain(w.audit.id);
    await setArchived(ds.actor, "audit", w.audit.id, true);
    expect((await listAudits(rev.actor)).map((a) => a.id)).not.toContain(w.audit.id);
    expect((await listAuditsForApi(rev.actor, {})).map((a) => a.id)).not.toContain(w.audit.id);
    expect(await getDb().audit.findUnique({ where: { id: w.audit.id } })).not.toBeNull(); // kept
    await setArchived(ds.actor, "audit", w.audit.id, false);
    expect((await listAudits(rev.actor)).map((a) => a.id)).toContain(w.audit.id);
    await setArchived(admin.actor, "project", w.project.id, true);
    expect((await listProjects(rev.actor)).find((p) => p.id === w.project.id)?.archivedAt).toBeInstanceOf(Date);
    expect((await refusal(setArchived(rev.actor, "dataset", w.dataset.id, true))).code).toBe("FORBIDDEN");
    const events = await getDb().event.findMany({ where: { targetId: { in: [w.audit.id, w.project.id] }, action: { in: ["archive", "restore"] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorEmail])).toEqual([
      ["archive", ds.actor.email],
      ["restore", ds.actor.email],
      ["archive", admin.actor.email],
    ]);
  });
});

describe("delete", () => {
  it("refuses to delete what an approved audit uses, naming the audit; the files stay", async () => {
    const w = await world("Approved world", { approved: true });
    for (const [kind, id] of [
      ["dataset", w.dataset.id],
      ["model_version", w.version.id],
      ["project", w.project.id],
      ["audit", w.audit.id],
    ] as const) {
      const r = await refusal(deleteForGood(admin.actor, kind, id));
      expect(r.code).toBe("CONFLICT");
      expect(r.message).toMatch(kind === "audit" ? /approved: its report is frozen/ : new RegExp(`the approved audit “Approved world audit” \\(${w.audit.id}\\) uses this`));
    }
    expect(fs.existsSync(w.datasetFile)).toBe(true);
    expect(fs.existsSync(w.modelDir)).toBe(true);
  });

  it("deletes an unused dataset and model version with their files (admins only), and records it", async () => {
    const w = await world("Plain world");
    expect((await refusal(deleteForGood(ds.actor, "dataset", w.dataset.id))).code).toBe("FORBIDDEN");
    expect(await deleteForGood(admin.actor, "dataset", w.dataset.id)).toEqual({ filesRemoved: 1 });
    expect(fs.existsSync(w.datasetFile)).toBe(false);
    expect(await getDb().dataset.findUnique({ where: { id: w.dataset.id } })).toBeNull();
    expect((await getDb().audit.findUniqueOrThrow({ where: { id: w.audit.id } })).datasetId).toBeNull(); // the audit keeps its report
    expect(await deleteForGood(admin.actor, "model_version", w.version.id)).toEqual({ filesRemoved: 1 });
    expect(fs.existsSync(w.modelDir)).toBe(false);
    const ev = await getDb().event.findFirstOrThrow({ where: { action: "delete", targetId: w.dataset.id } });
    expect(ev).toMatchObject({ actorEmail: admin.actor.email, targetType: "dataset" });
    expect(ev.summary).toBe("dataset people.csv deleted; 1 stored file removed from the data dir");
  });

  it("never removes a file outside the data dir (a dataset registered where it lies)", async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "assay-outside-")), "mine.csv");
    fs.writeFileSync(outside, "a\n1\n");
    const p = await getDb().project.create({ data: { slug: `outside-${Date.now()}`, name: "Outside" } });
    const d = await getDb().dataset.create({ data: { projectId: p.id, name: "mine.csv", path: outside, sha256: "1".repeat(64), sizeBytes: 4, rows: 1, columns: {}, createdBy: "t" } });
    expect(await deleteForGood(admin.actor, "dataset", d.id)).toEqual({ filesRemoved: 0 });
    expect(fs.existsSync(outside)).toBe(true);
  });

  it("lets whoever started a failed or cancelled audit delete it, not others; never a running one", async () => {
    const failed = await world("Failed world", { status: "failed" });
    expect((await refusal(deleteForGood(ds2.actor, "audit", failed.audit.id))).code).toBe("FORBIDDEN");
    expect((await refusal(deleteForGood(rev.actor, "audit", failed.audit.id))).code).toBe("FORBIDDEN");
    await deleteForGood(ds.actor, "audit", failed.audit.id);
    expect(await getDb().audit.findUnique({ where: { id: failed.audit.id } })).toBeNull();
    const ok = await world("Succeeded world");
    expect((await refusal(deleteForGood(ds.actor, "audit", ok.audit.id))).code).toBe("FORBIDDEN"); // a finished one: admins only
    const running = await world("Running world", { status: "running" });
    expect((await refusal(deleteForGood(admin.actor, "audit", running.audit.id))).code).toBe("CONFLICT");
    await deleteForGood(admin.actor, "audit", ok.audit.id);
  });

  it("deletes a whole project without approved audits: its audits, datasets, versions and files", async () => {
    const w = await world("Doomed");
    await deleteForGood(admin.actor, "project", w.project.id);
    expect(await getDb().project.findUnique({ where: { id: w.project.id } })).toBeNull();
    expect(await getDb().audit.findUnique({ where: { id: w.audit.id } })).toBeNull();
    expect(await getDb().modelVersion.findUnique({ where: { id: w.version.id } })).toBeNull();
    expect(fs.existsSync(w.datasetFile)).toBe(false);
    expect(fs.existsSync(w.modelDir)).toBe(false);
  });
});
