// The CPS wages demo: its data is the npm package's real sample, its committed models load and
// audit, `npm start`'s seeding stores both reports once, and 100 audits in one process leak no
// tensors.

import fs from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { getDb, closeDb } from "../lib/db/client";
import { sqlitePath } from "../lib/db/sqlite-url";
import { readSpecFile } from "../lib/io/spec-file";
import { runAuditSpec } from "../lib/services/run-audit";
import { listAudits } from "../lib/services/list-audits";
import { getAuditReportOrThrow } from "../lib/services/get-audit-report";
import { DEMO_CSV, demoCsv, demoRows } from "../scripts/train-demo";
import { DEMO_SPECS, seedDemo } from "../scripts/seed-demo";
import { ROOT } from "./helpers/shared";

afterAll(async () => {
  await closeDb();
});

describe("CPS wages demo", () => {
  it("ships the npm package's 534 workers unchanged, with the median-wage label", () => {
    expect(fs.readFileSync(DEMO_CSV, "utf8")).toBe(demoCsv());
    const { rows, median } = demoRows();
    expect(rows).toHaveLength(534);
    expect(median).toBe(7.78);
    expect(rows.filter((r) => r.wage_above_median === 1)).toHaveLength(rows.filter((r) => r.wage > 7.78).length);
  });

  it("audits v1 and v2: v2 has no gender or race input", async () => {
    const reports = [];
    for (const file of DEMO_SPECS) {
      const { spec, baseDir } = readSpecFile(file);
      reports.push(await runAuditSpec({ spec, baseDir }));
    }
    const [v1, v2] = reports;
    expect(v1!.model.features).toContain("gender");
    expect(v2!.model.features).not.toContain("gender");
    expect(v2!.model.features).not.toContain("race");
    expect(v1!.engine.backend).toBe("wasm");
    expect(v1!.dataset.rows).toBe(534);
    for (const r of reports) {
      expect(r.sections.fairness!.attributes.map((a) => a.attribute)).toEqual(["gender", "race", "gender & race"]);
      expect(r.sections.performance!.metrics.roc_auc!.value).toBeGreaterThan(0.75);
    }
  });

  it("seeds the database once, and the app's services list and read the reports", async () => {
    expect(await seedDemo()).toBe(2);
    expect(await seedDemo()).toBe(0);
    const audits = await listAudits();
    expect(audits.map((a) => a.name).sort()).toEqual(["CPS wages v1", "CPS wages v2"]);
    expect(audits.every((a) => a.status === "succeeded" && a.project === "CPS wages demo")).toBe(true);
    const one = await getAuditReportOrThrow(audits[0]!.id);
    expect(one.report!.schemaVersion).toBe(1);
    expect(await getDb().modelVersion.count()).toBe(2);
    await expect(getAuditReportOrThrow("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("leaves the database in a state `prisma migrate status` calls up to date", () => {
    const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "status"], { cwd: ROOT, encoding: "utf8", env: { ...process.env } });
    expect(fs.existsSync(sqlitePath())).toBe(true);
    expect(r.stdout + r.stderr).toMatch(/Database schema is up to date/);
  });

  it("leaks no tensors over 100 audits in one process", async () => {
    const { spec, baseDir } = readSpecFile(DEMO_SPECS[0]!);
    const light = { ...spec, analyses: { performance: { ...spec.analyses.performance!, bootstrap: 0 }, fairness: { ...spec.analyses.fairness!, bootstrap: 0 } } };
    await runAuditSpec({ spec: light, baseDir });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await runAuditSpec({ spec: light, baseDir });
    expect(tf.memory().numTensors).toBe(before);
  });
});
