#!/usr/bin/env node
// Entry point of the `assay` CLI (npx assay …): runs the TypeScript sources through tsx.
require("tsx/cjs/api").register({ tsconfig: require("node:path").join(__dirname, "..", "tsconfig.json") });
const { main } = require("../scripts/cli.ts");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`assay: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 3;
  },
);
