// Two projects: fast unit tests beside the code, and integration tests (*.int.test.ts)
// that use the database, the CLI and the real datasets in ../shared.
const transform = {
  "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } }, target: "es2022" } }],
};
const common = {
  testEnvironment: "<rootDir>/tests/node-environment.js",
  transform,
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1", "^server-only$": "<rootDir>/tests/server-only-stub.js" },
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/.next/", "<rootDir>/out/", "<rootDir>/data/"],
  modulePathIgnorePatterns: ["<rootDir>/.next/", "<rootDir>/out/"],
};
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/**/*.test.ts"], testPathIgnorePatterns: [...common.testPathIgnorePatterns, "\\.int\\.test\\.ts$"] },
    { ...common, displayName: "int", testMatch: ["<rootDir>/**/*.int.test.ts"], setupFiles: ["<rootDir>/tests/setup-int.js"], setupFilesAfterEnv: ["<rootDir>/tests/timeout-int.js"] },
  ],
};
