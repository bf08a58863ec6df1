#!/usr/bin/env node
// Entry point of the `assay` CLI (npx assay …): runs the esbuild bundle of the TypeScript sources
// (bin/bundle.js; rebuilt when a source changed), or the sources through tsx when no bundle can
// be built.
const { ensureBundle } = require("./bundle.js");
const dir = ensureBundle();
let main;
if (dir) main = require(require("node:path").join(dir, "cli.js")).main;
else {
  require("tsx/cjs/api").register({ tsconfig: require("node:path").join(__dirname, "..", "tsconfig.json") });
  main = require("../scripts/cli.ts").main;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`assay: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 3;
  },
);
