// Prisma CLI configuration: the JS schema engine over the same driver adapter the app uses,
// so `generate`, `migrate diff` and `migrate deploy` need no downloaded engine binary.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { sqliteUrl } from "./lib/db/sqlite-url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: sqliteUrl() });
  },
});
