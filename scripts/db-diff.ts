// Creates a new migration from changes to prisma/schema.prisma. `migrate dev`, `--from-url` and
// `--from-migrations` do not work with driver adapters, so every migration folder keeps a
// snapshot of the schema it produced (schema.snapshot.prisma) and the new migration is the
// `prisma migrate diff` between the latest snapshot and the current schema.
// Usage: npm run db:diff -- add_audit_comments

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR } from "../lib/db/migrate";

const SNAPSHOT = "schema.snapshot.prisma";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_");
if (!name) {
  process.stderr.write("usage: npm run db:diff -- NAME\n");
  process.exit(2);
}
const latest = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((d) => fs.existsSync(path.join(MIGRATIONS_DIR, d, SNAPSHOT)))
  .sort()
  .pop();
if (!latest) throw new Error(`no migration has a ${SNAPSHOT}`);
const r = spawnSync(
  path.join(__dirname, "..", "node_modules", ".bin", "prisma"),
  ["migrate", "diff", "--from-schema-datamodel", path.join(MIGRATIONS_DIR, latest, SNAPSHOT), "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { cwd: path.join(__dirname, ".."), encoding: "utf8" },
);
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
const sql = r.stdout.trim();
if (!sql || /^-- This is an empty migration/.test(sql)) {
  process.stdout.write("schema.prisma matches the migrations: nothing to do\n");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
fs.copyFileSync(path.join(__dirname, "..", "prisma", "schema.prisma"), path.join(dir, SNAPSHOT));
process.stdout.write(`wrote ${path.relative(process.cwd(), dir)}/migration.sql\n`);
