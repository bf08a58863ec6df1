// One source of truth for the data model: the committed PostgreSQL schema is exactly what
// `npm run db:schemas` derives from prisma/schema.prisma (provider, url and client output differ,
// nothing else), and the latest PostgreSQL migration's snapshot is that schema.

import fs from "node:fs";
import path from "node:path";
import { postgresSchemaFrom } from "./schemas";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");

it("prisma/postgres/schema.prisma is prisma/schema.prisma with the PostgreSQL provider (run `npm run db:schemas` after a schema change)", () => {
  expect(read("prisma/postgres/schema.prisma")).toBe(postgresSchemaFrom(read("prisma/schema.prisma")));
});

it("the two schemas differ only in provider, url, client output and the generated-file header", () => {
  const a = read("prisma/schema.prisma").split("\n");
  const b = read("prisma/postgres/schema.prisma").split("\n").slice(1);
  expect(b).toHaveLength(a.length);
  const differing = a.map((line, i) => [line, b[i]!] as const).filter(([x, y]) => x !== y);
  expect(differing.map(([x]) => x.trim().split(/\s+/)[0])).toEqual(["output", "provider", "url"]);
});

it("the latest PostgreSQL migration was made from the current schema (else: npm run db:diff)", () => {
  const dir = path.join(ROOT, "prisma", "postgres", "migrations");
  const latest = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "schema.snapshot.prisma"))).sort().pop()!;
  expect(fs.readFileSync(path.join(dir, latest, "schema.snapshot.prisma"), "utf8")).toBe(read("prisma/postgres/schema.prisma"));
});
