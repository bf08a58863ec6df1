// lowerPriority, checked in a child process (a nice value cannot be raised back without
// privilege): every thread the child has afterwards — including a worker thread started after
// the call — runs at the requested nice value, read back from /proc, not from our own code.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

const linux = fs.existsSync("/proc/self/task");

(linux ? it : it.skip)("renices every existing thread and the worker threads started later", () => {
  const script = `
    const fs = require("node:fs");
    const { Worker } = require("node:worker_threads");
    const { lowerPriority } = require(${JSON.stringify(path.join(ROOT, "lib", "jobs", "priority.ts"))});
    const niceOf = (tid) => Number(fs.readFileSync("/proc/self/task/" + tid + "/stat", "utf8").split(") ")[1].split(" ")[16]);
    const tids = () => fs.readdirSync("/proc/self/task");
    const before = tids().map(niceOf);
    const changed = lowerPriority(7);
    const w = new Worker("setTimeout(() => {}, 300)", { eval: true });
    w.on("online", () => {
      setTimeout(() => {
        console.log(JSON.stringify({ before, changed, threads: tids().length, after: tids().map(niceOf) }));
        w.terminate();
      }, 100);
    });
  `;
  const out = JSON.parse(execFileSync(process.execPath, [TSX, "-e", script], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!) as { before: number[]; changed: number; threads: number; after: number[] };
  expect(out.before.every((n) => n === out.before[0])).toBe(true);
  expect(out.changed).toBe(out.before.length);
  expect(out.threads).toBeGreaterThan(out.before.length); // the worker thread and its helpers
  expect(out.after).toEqual(out.after.map(() => 7));
});

it("refuses a value outside 0–19", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { lowerPriority } = require("./priority") as typeof import("./priority");
  expect(() => lowerPriority(20)).toThrow(/0 to 19/);
  expect(() => lowerPriority(-1)).toThrow(/0 to 19/);
  expect(() => lowerPriority(1.5)).toThrow(/0 to 19/);
});
