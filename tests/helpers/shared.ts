// Where the shared real datasets live: ../shared/datasets from the project root (never copied
// into the project). ASSAY_SHARED_DIR overrides, for a checkout that is not beside shared/.

import fs from "node:fs";
import path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");

export function sharedDatasetsDir(): string {
  const candidates = [process.env.ASSAY_SHARED_DIR, path.join(ROOT, "..", "shared"), "/work/shared"].filter(Boolean) as string[];
  for (const c of candidates) {
    const d = path.join(c, "datasets");
    if (fs.existsSync(path.join(d, "adult.csv"))) return d;
  }
  throw new Error(`The shared datasets were not found (looked in ${candidates.join(", ")}); set ASSAY_SHARED_DIR`);
}

export function sharedDataset(name: "adult.csv" | "adult-test.csv" | "compas-two-years.csv" | "german-credit.csv"): string {
  return path.join(sharedDatasetsDir(), name);
}
