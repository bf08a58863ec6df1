// `npm run db:schemas`: writes prisma/postgres/schema.prisma from prisma/schema.prisma (see
// lib/db/schemas.ts). Run it after editing the schema, then `npm run db:diff -- NAME`.

import path from "node:path";
import { writePostgresSchema } from "../lib/db/schemas";

const target = writePostgresSchema(path.join(__dirname, ".."));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
