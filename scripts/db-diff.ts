// Creates a new migration from changes to prisma/schema.prisma, for both providers: SQLite
// (prisma/migrations) and PostgreSQL (prisma/postgres/migrations, from the schema derived by
// lib/db/schemas.ts, which this also rewrites). `migrate dev`, `--from-url` and
// `--from-migrations` do not work with driver adapters, so every migration folder keeps a
// snapshot of the schema it produced (schema.snapshot.prisma) and the new migration is the
// `prisma migrate diff` between the latest snapshot and the current schema.
// Usage: npm run db:diff -- add_audit_comments

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR } from "../lib/db/migrate";
import { PG_MIGRATIONS_DIR } from "../lib/db/migrate-pg";
import { writePostgresSchema } from "../lib/db/schemas";

const SNAPSHOT = "schema.snapshot.prisma";
const ROOT = path.join(__dirname, "..");

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_");
if (!name) {
  process.stderr.write("usage: npm run db:diff -- NAME\n");
  process.exit(2);
}

const pgSchema = writePostgresSchema(ROOT);
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);

function diff(dir: string, schema: string, label: string): void {
  const latest = fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, SNAPSHOT)))
    .sort()
    .pop();
  if (!latest) throw new Error(`no ${label} migration has a ${SNAPSHOT}`);
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "diff", "--from-schema-datamodel", path.join(dir, latest, SNAPSHOT), "--to-schema-datamodel", schema, "--script"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(r.status ?? 1);
  }
  const sql = r.stdout.trim();
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    process.stdout.write(`${label}: the schema matches the migrations, nothing to do\n`);
    return;
  }
  const out = path.join(dir, `${stamp}_${name}`);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "migration.sql"), `${sql}\n`);
  fs.copyFileSync(schema, path.join(out, SNAPSHOT));
  process.stdout.write(`${label}: wrote ${path.relative(process.cwd(), out)}/migration.sql\n`);
}

diff(MIGRATIONS_DIR, path.join(ROOT, "prisma", "schema.prisma"), "SQLite");
diff(PG_MIGRATIONS_DIR, pgSchema, "PostgreSQL");
