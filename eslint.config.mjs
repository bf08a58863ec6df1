// Lint rules. The one that matters most: lib/engine is pure TypeScript (no Next, React,
// Prisma, file system, database or jobs), so the engine can run anywhere and be tested alone.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "out/**", "data/**", "lib/db/generated/**", "next-env.d.ts", "artifacts/**", "coverage/**", "build/**", ".gpu/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["lib/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "next", "react", "react-dom", "@prisma/client", "better-sqlite3", "bullmq"],
          patterns: ["next/*", "@prisma/*", "**/db/**", "**/jobs/**", "**/services/**", "**/io/**", "**/lib/env", "../env", "../../env"],
        },
      ],
    },
  },
);
