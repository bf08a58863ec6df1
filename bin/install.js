// postinstall: links node_modules/.bin/assay to bin/assay.js and builds the CLI bundle.
// The root package deliberately has no "bin" field: for a project's own bin, `npx` reads the
// whole installed tree first (~1 s for ours); a link in node_modules/.bin takes its fast path.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const binDir = path.join(ROOT, "node_modules", ".bin");
const link = path.join(binDir, "assay");
fs.mkdirSync(binDir, { recursive: true });
fs.rmSync(link, { force: true });
fs.symlinkSync(path.relative(binDir, path.join(__dirname, "assay.js")), link);
fs.chmodSync(path.join(__dirname, "assay.js"), 0o755);
require("./bundle.js").ensureBundle();
