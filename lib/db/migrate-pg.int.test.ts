// The PostgreSQL migration runner against the PostgreSQL this machine runs (ASSAY_TEST_PG_URL,
// default postgresql://postgres@127.0.0.1:5432/test), each run in a schema of its own that the
// test drops afterwards: every table of the schema exists after it, `_prisma_migrations` records
// each migration once with its checksum, a second run applies nothing, and four runs started at
// the same moment (an app and workers starting together) apply each migration exactly once.

import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { listMigrations } from "./migrate";
import { migratePostgres, PG_MIGRATIONS_DIR } from "./migrate-pg";

const BASE = process.env.ASSAY_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];

function freshSchema(): string {
  const s = `assay_test_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(s);
  return s;
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: BASE });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  for (const s of schemas) await query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
});

it("creates every table of the schema and records each migration once; a second run applies nothing", async () => {
  const schema = freshSchema();
  const url = `${BASE}?schema=${schema}`;
  const names = listMigrations(PG_MIGRATIONS_DIR).map((m) => m.name);
  expect(names.length).toBeGreaterThan(0);
  expect(await migratePostgres(url)).toEqual(names);
  expect(await migratePostgres(url)).toEqual([]);
  const tables = (await query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema])).map((r) => r.table_name);
  const models = [...fs.readFileSync(path.join(__dirname, "..", "..", "prisma", "schema.prisma"), "utf8").matchAll(/^model (\w+) \{/gm)].map((m) => m[1]!);
  expect(tables).toEqual([...models, "_prisma_migrations"].sort());
  const recorded = await query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`);
  expect(recorded).toEqual(names.map((n) => ({ migration_name: n, checksum: createHash("sha256").update(fs.readFileSync(path.join(PG_MIGRATIONS_DIR, n, "migration.sql"))).digest("hex") })));
});

it("four runs at the same moment apply each migration exactly once, none failing", async () => {
  const schema = freshSchema();
  const url = `${BASE}?schema=${schema}`;
  const results = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(url)));
  expect(results.flat().sort()).toEqual(listMigrations(PG_MIGRATIONS_DIR).map((m) => m.name));
  const counts = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${schema}"."_prisma_migrations" GROUP BY migration_name`);
  expect(counts.every((c) => Number(c.n) === 1)).toBe(true);
});

it("a failing migration leaves nothing behind (DDL is transactional)", async () => {
  const schema = freshSchema();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-pg-bad-"));
  fs.mkdirSync(path.join(dir, "0001_ok"));
  fs.writeFileSync(path.join(dir, "0001_ok", "migration.sql"), `CREATE TABLE "A" ("id" TEXT PRIMARY KEY);`);
  fs.mkdirSync(path.join(dir, "0002_bad"));
  fs.writeFileSync(path.join(dir, "0002_bad", "migration.sql"), `CREATE TABLE "B" ("id" TEXT PRIMARY KEY); SELECT no_such_function();`);
  await expect(migratePostgres(`${BASE}?schema=${schema}`, dir)).rejects.toThrow(/no_such_function/);
  const tables = await query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
  expect(tables).toEqual([]);
});
