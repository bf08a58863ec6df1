// Makes sure the database exists and is migrated before the first query. SQLite (the embedded
// default) migrates synchronously in ensureDatabase(); PostgreSQL (team mode) migrates in
// prepareDatabase(), which every process start awaits (npm start, npm run worker, the CLI's
// --save, the demo seeding): one of any number of processes starting together applies the
// migrations, under an advisory lock (lib/db/migrate-pg.ts).

import { migrateSqlite } from "./migrate";
import { databaseProvider, postgresTarget } from "./provider";
import { sqlitePath } from "./sqlite-url";

let done = false;
let pgDone: Promise<string[]> | null = null;

/** SQLite: migrates now. PostgreSQL: nothing (prepareDatabase() has migrated it at start). */
export function ensureDatabase(): string[] {
  if (done || databaseProvider() === "postgresql") return [];
  const applied = migrateSqlite(sqlitePath());
  done = true;
  return applied;
}

/** Migrates whichever database this process uses; returns the migrations it applied. */
export async function prepareDatabase(): Promise<string[]> {
  if (databaseProvider() === "sqlite") return ensureDatabase();
  if (!pgDone) {
    const { migratePostgres } = await import("./migrate-pg");
    pgDone = migratePostgres(postgresTarget().url);
    pgDone.catch(() => (pgDone = null));
  }
  return pgDone;
}
