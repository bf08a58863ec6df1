// Applies the committed migrations (prisma/migrations/*/migration.sql) in order, recording them
// in Prisma's own `_prisma_migrations` table (same checksum: SHA-256 of the file), so the
// result is indistinguishable from `prisma migrate deploy` and either can run afterwards.
// Needs no schema-engine binary and no CLI; used by `npm start`, the CLI's --save and tests.

import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { makePrivate, PRIVATE_DIR } from "../io/private-fs";

export const MIGRATIONS_DIR = path.join(__dirname, "..", "..", "prisma", "migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** The migrations not yet applied, given the applied rows; throws when an applied one was edited since. Both runners use it. */
export function pendingMigrations(migrations: Migration[], applied: ReadonlyArray<{ migration_name: string; checksum: string }>): Migration[] {
  const done = new Map(applied.map((r) => [r.migration_name, r.checksum]));
  return migrations.filter((m) => {
    const prev = done.get(m.name);
    if (prev === undefined) return true;
    if (prev !== m.checksum) throw new Error(`migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`);
    return false;
  });
}

/** Prisma's query for what is applied (the same table on both providers). */
export const APPLIED_MIGRATIONS_SQL = `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migrations to the SQLite file; returns the names applied. Any number of
 * processes may call this at the same moment (an app, its worker, more workers): reading what is
 * applied and applying the rest happen in one IMMEDIATE transaction, which holds SQLite's write
 * lock from its start, so the others wait (busy timeout) and then find nothing left to do —
 * instead of applying the same migration twice ("duplicate column").
 */
export function migrateSqlite(file: string, dir = MIGRATIONS_DIR): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  const db = new Database(file);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) makePrivate(f);
  try {
    db.pragma("busy_timeout = 30000");
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_MIGRATIONS_TABLE);
    const migrations = listMigrations(dir);
    // Table redefinitions (SQLite's way to alter columns) drop and recreate tables: with
    // foreign keys enforced, the DROP would cascade into referencing rows. PRAGMA foreign_keys
    // is ignored inside a transaction, so it is switched off around it, and the result is
    // checked before commit.
    db.pragma("foreign_keys = OFF");
    try {
      return db
        .transaction(() => {
          const applied = db.prepare(APPLIED_MIGRATIONS_SQL).all() as Array<{ migration_name: string; checksum: string }>;
          const done: string[] = [];
          for (const m of pendingMigrations(migrations, applied)) {
            const started = new Date().toISOString();
            db.exec(m.sql);
            const violations = db.pragma("foreign_key_check") as unknown[];
            if (violations.length) throw new Error(`migration ${m.name} leaves ${violations.length} broken foreign key(s)`);
            db.prepare(
              `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
            ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
            done.push(m.name);
          }
          return done;
        })
        .immediate();
    } finally {
      db.pragma("foreign_keys = ON");
    }
  } finally {
    db.close();
  }
}
