// Migrations keep existing rows and their links (SQLite table redefinitions must not cascade).

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
