import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeLimited } from "../services/datasets";
import { ensurePrivateDir, makePrivate } from "./private-fs";

async function* chunks(n: number, size = 64 * 1024) {
  for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(65);
}

describe("private files: the data dir is the server user's alone", () => {
  const old = process.umask(0); // the most permissive umask: modes must not depend on it
  afterAll(() => process.umask(old));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "assay-private-"));

  it("creates directories 0700 (and tightens an existing one)", () => {
    const dir = path.join(root, "a", "b");
    ensurePrivateDir(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(root, "a")).mode & 0o777).toBe(0o700);
    fs.chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("writes uploads 0600 and chmods existing files", async () => {
    const f = path.join(root, "upload.csv");
    expect(await writeLimited(f, chunks(2, 10), 100, () => new Error("too large"))).toBe(20);
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const g = path.join(root, "db");
    fs.writeFileSync(g, "x", { mode: 0o644 });
    makePrivate(g);
    expect(fs.statSync(g).mode & 0o777).toBe(0o600);
    expect(() => makePrivate(path.join(root, "missing"))).not.toThrow();
  });
});

describe("writeLimited", () => {
  it("fails at once with a clear message when the disk is full, instead of hanging", async () => {
    // /dev/full answers every write with ENOSPC
    await expect(writeLimited("/dev/full", chunks(200), 1e9, () => new Error("too large"))).rejects.toMatchObject({ code: "INTERNAL", message: "the server's disk is full; the upload was not kept" });
  });

  it("stops at the first chunk over the limit", async () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "assay-limit-")), "x");
    await expect(writeLimited(f, chunks(10, 1000), 2500, () => new Error("too large"))).rejects.toThrow("too large");
  });
});
