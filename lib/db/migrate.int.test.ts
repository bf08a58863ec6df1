// Migrations keep existing rows and their links (SQLite table redefinitions must not cascade),
// and several processes starting at the same moment (npm start's app and worker, more
// `npm run worker`s) apply each migration exactly once, none failing. The race is made
// deterministic: the test holds SQLite's write lock while four processes start migrating, so all
// of them have started (and, without a lock around "read what is applied, apply the rest", would
// all have read an empty list) before any can write; then it lets go.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { listMigrations, migrateSqlite, MIGRATIONS_DIR } from "./migrate";

describe("migrateSqlite", () => {
  it("applies each migration once, in order, and keeps audits linked to their model versions", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-mig-"));
    const first = path.join(dir, "first");
    fs.mkdirSync(path.join(first, listMigrations()[0]!.name), { recursive: true });
    fs.copyFileSync(path.join(MIGRATIONS_DIR, listMigrations()[0]!.name, "migration.sql"), path.join(first, listMigrations()[0]!.name, "migration.sql"));
    const file = path.join(dir, "db.sqlite");
    expect(migrateSqlite(file, first)).toEqual([listMigrations()[0]!.name]);
    const db = new Database(file);
    db.exec(`INSERT INTO Project (id, slug, name, updatedAt) VALUES ('p', 'p', 'P', CURRENT_TIMESTAMP);
      INSERT INTO Model (id, projectId, name) VALUES ('m', 'p', 'M');
      INSERT INTO ModelVersion (id, modelId, version, kind, createdBy) VALUES ('v', 'm', 'v1', 'score', 'x');
      INSERT INTO Audit (id, projectId, modelVersionId, name, spec, createdBy, updatedAt) VALUES ('a', 'p', 'v', 'A', '{}', 'x', CURRENT_TIMESTAMP);`);
    db.close();
    const applied = migrateSqlite(file);
    expect(applied).toEqual(listMigrations().slice(1).map((m) => m.name));
    expect(migrateSqlite(file)).toEqual([]);
    const after = new Database(file);
    expect(after.prepare("SELECT modelVersionId FROM Audit WHERE id = 'a'").get()).toEqual({ modelVersionId: "v" });
    expect(after.pragma("foreign_keys", { simple: true })).toBe(1);
    after.close();
  });
});

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function migrateInChild(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, "-e", `require(${JSON.stringify(path.join(__dirname, "migrate.ts"))}).migrateSqlite(${JSON.stringify(file)}); console.log("migrated")`], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

it("four processes migrating one new database at once: every migration applied once, none fails", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "assay-migrate-race-")), "assay.db");
  // the migrations table exists (empty), so a process can read "nothing applied" without a lock
  migrateSqlite(file, fs.mkdtempSync(path.join(os.tmpdir(), "assay-no-migrations-")));
  const holder = new Database(file);
  holder.pragma("journal_mode = WAL");
  holder.exec("BEGIN IMMEDIATE");
  const children = Array.from({ length: 4 }, () => migrateInChild(file));
  await new Promise((r) => setTimeout(r, 2500)); // every child is up and waiting on the lock
  holder.exec("COMMIT");
  holder.close();
  const results = await Promise.all(children);
  expect(results.map((r) => [r.code, r.output.trim().split("\n").pop()])).toEqual(results.map(() => [0, "migrated"]));
  const db = new Database(file, { readonly: true });
  const rows = db.prepare(`SELECT migration_name, COUNT(*) AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`).all() as Array<{ migration_name: string; n: number }>;
  db.close();
  expect(rows).toEqual(listMigrations().map((m) => ({ migration_name: m.name, n: 1 })));
}, 60_000);
