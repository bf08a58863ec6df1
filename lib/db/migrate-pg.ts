// Applies the committed PostgreSQL migrations (prisma/postgres/migrations/*/migration.sql) in
// order, recording them in Prisma's `_prisma_migrations` table (checksum: SHA-256 of the file), as
// `prisma migrate deploy` would — which cannot run here over a driver adapter on PostgreSQL
// (prisma/orm#27403). Everything happens in one transaction holding an advisory lock, so any
// number of app and worker processes may start at the same moment: one applies, the others wait
// and find nothing left to do. PostgreSQL's DDL is transactional: a failing migration leaves
// nothing behind.

import path from "node:path";
import { Client } from "pg";
import { APPLIED_MIGRATIONS_SQL, listMigrations, pendingMigrations } from "./migrate";
import { splitPostgresUrl } from "./provider";

export const PG_MIGRATIONS_DIR = path.join(__dirname, "..", "..", "prisma", "postgres", "migrations");

/** The advisory lock key of Assay's migrations (any fixed 64-bit number; "assay" in ASCII). */
const LOCK_KEY = 0x6173736179;

const PG_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Applies pending migrations to the database at `url` (its `?schema=` is honoured); returns the names applied. */
export async function migratePostgres(url: string, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const { connectionString, schema } = splitPostgresUrl(url);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      if (schema) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
        await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
      }
      await client.query(PG_MIGRATIONS_TABLE);
      const applied = (await client.query(APPLIED_MIGRATIONS_SQL)).rows as Array<{ migration_name: string; checksum: string }>;
      const done: string[] = [];
      for (const m of pendingMigrations(listMigrations(dir), applied)) {
        const started = new Date();
        await client.query(m.sql);
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (gen_random_uuid()::text, $1, now(), $2, $3, 1)`, [m.checksum, m.name, started]);
        done.push(m.name);
      }
      await client.query("COMMIT");
      return done;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`not a valid schema name: ${name}`);
  return `"${name}"`;
}
