// Where the shared real datasets live: ../shared/datasets from the project root (never copied
// into the project). ASSAY_SHARED_DIR overrides, for a checkout that is not beside shared/.
// Used by the demo seeding, the tests and the benchmarks.

import fs from "node:fs";
import path from "node:path";

export const ROOT = path.join(__dirname, "..");

export type SharedDatasetName = "adult.csv" | "adult-test.csv" | "compas-two-years.csv" | "german-credit.csv";

function candidates(): string[] {
  return [process.env.ASSAY_SHARED_DIR, path.join(ROOT, "..", "shared"), "/work/shared"].filter(Boolean) as string[];
}

/** The datasets folder, or null when this machine has none. */
export function findSharedDatasetsDir(): string | null {
  for (const c of candidates()) {
    const d = path.join(c, "datasets");
    if (fs.existsSync(path.join(d, "adult.csv"))) return d;
  }
  return null;
}

export function sharedDatasetsDir(): string {
  const d = findSharedDatasetsDir();
  if (!d) throw new Error(`The shared datasets were not found (looked in ${candidates().join(", ")}); set ASSAY_SHARED_DIR`);
  return d;
}

export function sharedDataset(name: SharedDatasetName): string {
  return path.join(sharedDatasetsDir(), name);
}
