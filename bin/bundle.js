// The CLI's start-up cost is mostly loading ~200 TypeScript modules through tsx, once in the CLI and
// once in every worker thread. This keeps an esbuild bundle of the CLI and of the model worker
// under build/<key>/ (packages stay external, so node_modules load natively) and rebuilds it when
// any source it was built from changed (size or mtime; ~3 ms to check). build/ is git-ignored.
//
// The bundles sit two folders below the root on purpose: code that finds files through
// __dirname (lib/db/migrate*.ts: "../../prisma", lib/compute/worker-executor.ts: the worker
// file beside it) resolves the same from build/<key>/ as from lib/<folder>/.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");

const ROOT = path.join(__dirname, "..");
const BUILD = path.join(ROOT, "build");
const MANIFEST = path.join(BUILD, "cli.json");
const ENTRIES = { cli: "scripts/cli.ts", "model-worker": "lib/compute/model-worker.ts", "importance-worker": "lib/compute/importance-worker.ts" };
const KEEP = 3;

function stamp(rel) {
  try {
    const s = fs.statSync(path.join(ROOT, rel));
    return `${s.size}:${Math.round(s.mtimeMs)}`;
  } catch {
    return "missing";
  }
}

/** The bundle folder when every input is unchanged since it was built, else null. */
function freshBundle() {
  let m;
  try {
    m = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
  } catch {
    return null;
  }
  if (m.node !== process.version || m.esbuild !== esbuildVersion()) return null;
  for (const [rel, st] of Object.entries(m.inputs)) if (stamp(rel) !== st) return null;
  const dir = path.join(BUILD, m.key);
  return Object.keys(ENTRIES).every((e) => fs.existsSync(path.join(dir, `${e}.js`))) ? dir : null;
}

function esbuildVersion() {
  try {
    return require("esbuild/package.json").version;
  } catch {
    return null;
  }
}

/** Builds both bundles into a new folder and points the manifest at it (atomic rename). */
function build() {
  const esbuild = require("esbuild");
  const tmp = path.join(BUILD, `tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: tmp,
    bundle: true,
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    format: "cjs",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "silent",
    tsconfig: path.join(ROOT, "tsconfig.json"),
  });
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs).sort()) inputs[rel] = stamp(rel);
  const key = crypto.createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16);
  const dir = path.join(BUILD, key);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process built the same inputs
  }
  const manifestTmp = `${MANIFEST}.${process.pid}`;
  fs.writeFileSync(manifestTmp, JSON.stringify({ key, node: process.version, esbuild: esbuildVersion(), inputs }));
  fs.renameSync(manifestTmp, MANIFEST);
  prune(key);
  return dir;
}

/** Removes all but the newest KEEP bundle folders (a running CLI may still start workers from one). */
function prune(current) {
  const dirs = fs
    .readdirSync(BUILD, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== current && /^[0-9a-f]{16}$/.test(d.name))
    .map((d) => ({ name: d.name, t: fs.statSync(path.join(BUILD, d.name)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const d of dirs.slice(KEEP - 1)) fs.rmSync(path.join(BUILD, d.name), { recursive: true, force: true });
}

/**
 * The folder holding the bundles of ENTRIES (cli.js, model-worker.js, importance-worker.js), built now if a source changed; null when it
 * cannot be built (no esbuild, a read-only checkout, ASSAY_NO_BUNDLE=1): the caller runs tsx.
 */
function ensureBundle() {
  if (process.env.ASSAY_NO_BUNDLE === "1") return null;
  try {
    const fresh = freshBundle();
    if (fresh) return fresh;
    fs.mkdirSync(BUILD, { recursive: true });
    return build();
  } catch {
    return null;
  }
}

module.exports = { ensureBundle, ENTRIES };
