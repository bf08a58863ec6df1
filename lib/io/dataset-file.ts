// Reads a dataset file from disk into the engine's columnar table, hashing it on the way.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { invalidInput } from "../errors";
import { loadTable, type Table } from "../engine/data/table";

export interface LoadedDatasetFile {
  table: Table;
  sha256: string;
  bytes: number;
  ms: number;
}

export interface DatasetLimits {
  maxBytes?: number;
  maxRows?: number;
}

/** Streams `file` through the CSV parser and SHA-256 at once. `displayName` is used in errors. */
export async function loadDatasetFile(
  file: string,
  options: DatasetLimits & { displayName?: string; onBytes?: (read: number, total: number) => void } = {},
): Promise<LoadedDatasetFile> {
  const displayName = options.displayName ?? path.basename(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw invalidInput(`dataset file not found: ${file}`, { file: displayName });
  }
  if (!stat.isFile()) throw invalidInput(`not a file: ${file}`, { file: displayName });
  if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
    throw invalidInput(`the file is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the limit of ${(options.maxBytes / 1024 / 1024).toFixed(1)} MB`, { file: displayName });
  }
  const t0 = performance.now();
  const hash = createHash("sha256");
  async function* hashed() {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      yield chunk as Uint8Array;
    }
  }
  const table = await loadTable(hashed(), {
    fileName: displayName,
    maxBytes: options.maxBytes,
    maxRows: options.maxRows,
    sizeHint: stat.size,
    onBytes: (read) => options.onBytes?.(read, stat.size),
  });
  return { table, sha256: hash.digest("hex"), bytes: table.bytes, ms: performance.now() - t0 };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
