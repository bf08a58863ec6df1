// Projects: fast unit tests beside the code; integration tests (*.int.test.ts) that use the
// database, the CLI and the real datasets in ../shared; the webgpu backend (*.webgpu.test.ts).
const transform = {
  "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } }, target: "es2022" } }],
};
const common = {
  testEnvironment: "<rootDir>/tests/node-environment.js",
  transform,
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1", "^server-only$": "<rootDir>/tests/server-only-stub.js" },
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/.next/", "<rootDir>/out/", "<rootDir>/data/", "<rootDir>/build/", "<rootDir>/.gpu/"],
  modulePathIgnorePatterns: ["<rootDir>/.next/", "<rootDir>/out/", "<rootDir>/build/", "<rootDir>/.gpu/"],
};
// Team mode: these integration tests run a second time against PostgreSQL and BullMQ
// (tests/pg-mode.js: a schema and a Redis key prefix per test file on ASSAY_TEST_PG_URL and
// ASSAY_TEST_REDIS_URL, default this machine's PostgreSQL and Redis). ASSAY_TEST_PG=0 skips them
// on a machine without PostgreSQL; ASSAY_TEST_REDIS=0 keeps the embedded queue.
const PG_TESTS = [
  "tests/api.int.test.ts",
  "tests/review.int.test.ts",
  "tests/retention.int.test.ts",
  "tests/users.int.test.ts",
  "tests/authz-matrix.int.test.ts",
  "tests/services-roles.int.test.ts",
  "lib/services/report-cache.int.test.ts",
  "tests/team-queue.int.test.ts",
];
module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/**/*.test.ts"], testPathIgnorePatterns: [...common.testPathIgnorePatterns, "\\.int\\.test\\.ts$", "\\.webgpu\\.test\\.ts$"] },
    { ...common, displayName: "int", testMatch: ["<rootDir>/**/*.int.test.ts"], setupFiles: ["<rootDir>/tests/setup-int.js"], setupFilesAfterEnv: ["<rootDir>/tests/timeout-int.js"] },
    // the webgpu backend on a software adapter (lavapipe: .ci/run installs it) against wasm
    ...(process.env.ASSAY_TEST_WEBGPU === "0" ? [] : [{ ...common, displayName: "webgpu", testMatch: ["<rootDir>/tests/*.webgpu.test.ts"], setupFiles: ["<rootDir>/tests/setup-int.js"], setupFilesAfterEnv: ["<rootDir>/tests/timeout-int.js"] }]),
    ...(process.env.ASSAY_TEST_PG === "0"
      ? []
      : [{ ...common, displayName: "int-pg", testMatch: PG_TESTS.map((t) => `<rootDir>/${t}`), setupFiles: ["<rootDir>/tests/setup-int.js"], setupFilesAfterEnv: ["<rootDir>/tests/timeout-int.js", "<rootDir>/tests/pg-mode.js"] }]),
  ],
};
