// Bench data sets built from ../shared/datasets (temp files, reused between runs).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sharedDataset } from "../tests/helpers/shared";

/** adult.csv's data rows repeated until `rows` rows (a temp file, reused between runs). */
export function replicatedAdult(rows: number): string {
  const file = path.join(os.tmpdir(), `assay-bench-adult-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  const text = fs.readFileSync(sharedDataset("adult.csv"), "utf8");
  const [header, ...lines] = text.split("\r\n").filter((l) => l.length);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, `${header}\r\n`);
  let written = 0;
  while (written < rows) {
    const take = Math.min(lines.length, rows - written);
    fs.writeSync(fd, lines.slice(0, take).join("\r\n") + "\r\n");
    written += take;
  }
  fs.closeSync(fd);
  return file;
}

