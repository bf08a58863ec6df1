// `npm run db:schemas`: writes prisma/postgres/schema.prisma from prisma/schema.prisma (see
// lib/db/schemas.ts). Run it after editing the schema, then `npm run db:diff -- NAME`.

import fs from "node:fs";
import path from "node:path";
import { postgresSchemaFrom } from "../lib/db/schemas";

const root = path.join(__dirname, "..");
const target = path.join(root, "prisma", "postgres", "schema.prisma");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, postgresSchemaFrom(fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8")));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
