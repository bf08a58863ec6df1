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
import { getAuditPage } from "../lib/services/audits";
import { makeUser } from "./helpers/users";
import { DEMO_CSV, demoCsv, demoRows } from "../scripts/train-demo";
import { DEMO_SPECS, seedDemo } from "../scripts/seed-demo";
import { ROOT } from "./helpers/shared";
import { tempDir } from "./helpers/cli";

// the real helper thread, its runs counted (the small-job audit below must use it)
jest.mock("../lib/compute/importance-helper", () => {
  const real = jest.requireActual("../lib/compute/importance-helper");
  const counted = { runs: 0 };
  return {
    ...real,
    counted,
    startImportanceHelper: jest.fn((file?: string) => {
      const h = real.startImportanceHelper(file);
      return h && { ...h, run: (...a: unknown[]) => (counted.runs++, h.run(...a)) };
    }),
  };
});
const helperRuns = () => (jest.requireMock("../lib/compute/importance-helper") as { counted: { runs: number } }).counted.runs;

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

  it("the same audit on 2 threads (a pool that starts while performance and fairness run, the model work waiting for it) and on this thread gives the same report numbers", async () => {
    const { spec, baseDir } = readSpecFile(DEMO_SPECS[0]!);
    const runsBefore = helperRuns();
    const pooled = await runAuditSpec({ spec, baseDir, threads: 2, poolFrom: 0 });
    const here = await runAuditSpec({ spec, baseDir, threads: 1 });
    expect(helperRuns()).toBe(runsBefore); // a pool's threads take whole repeats; one thread has no helper
    expect(pooled.sections.shap!.threads).toBe(2);
    expect(here.sections.shap!.threads).toBe(1);
    expect(pooled.metrics).toEqual(here.metrics);
    expect(pooled.sections.shap!.rows.map((r) => r.phi)).toEqual(here.sections.shap!.rows.map((r) => r.phi));
    expect(pooled.sections.robustness!.overall).toEqual(here.sections.robustness!.overall);
    expect(pooled.sections.robustness!.fragile).toEqual(here.sections.robustness!.fragile);
    expect(pooled.sections.permutationImportance).toEqual(here.sections.permutationImportance);
    // small model work runs on this thread: the whole demo (10 M evaluations) by default, without a
    // "threads" wait, with permutation importance's draws and scores on the helper thread
    const small = await runAuditSpec({ spec, baseDir, threads: 2 });
    expect(helperRuns()).toBe(runsBefore + 1);
    expect(small.sections.shap!.threads).toBe(1);
    expect(small.timings.map((t) => t.analysis)).not.toContain("threads");
    expect(small.metrics).toEqual(here.metrics);
    expect(small.sections.permutationImportance).toEqual(here.sections.permutationImportance);
  });

  it("audits v1 and v2: v2 has no gender or race input", async () => {
    const reports = [];
    for (const file of DEMO_SPECS) {
      const { spec, baseDir } = readSpecFile(file);
      // two worker threads whatever the machine's core count: the pool is exercised and the
      // report says how many threads explained it
      reports.push(await runAuditSpec({ spec, baseDir, threads: 2, poolFrom: 0 }));
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
      const shap = r.sections.shap!;
      expect(shap.mode).toBe("exact");
      expect(shap.rows).toHaveLength(200);
      expect(shap.maxAdditivityError).toBeLessThan(1e-6);
      expect(shap.threads).toBe(2);
      expect(r.sections.permutationImportance!.features.map((f) => f.feature)).toEqual(shap.features);
      expect(r.metrics.filter((m) => m.id === "mean_abs_shap")).toHaveLength(shap.features.length);
      // threads: what the model work still waited for the pool that started while the data loaded
      expect(r.timings.map((t) => t.analysis)).toEqual(["load", "scoring", "performance", "fairness", "threads", "permutation_importance", "shap", "robustness", "total"]);
      const rob = r.sections.robustness!;
      expect(rob.rows).toBe(534);
      expect(rob.threatModel.filter((f) => !f.mutable).map((f) => f.feature)).toEqual(expect.arrayContaining(r.spec.sensitive.filter((a) => shap.features.includes(a))));
      expect(rob.overall.map((o) => o.epsilon)).toEqual([0.05, 0.1, 0.25, 0.5]);
      for (let e = 1; e < 4; e++) expect(rob.overall[e]!.flipRate).toBeGreaterThanOrEqual(rob.overall[e - 1]!.flipRate - 0.02);
      expect(r.metrics.some((m) => m.id === "robustness_disparity" && m.attribute === "gender" && m.epsilon === 0.1)).toBe(true);
    }
    // v2 never sees gender or race: neither can carry importance
    expect(v2!.sections.shap!.features).not.toContain("gender");
    expect(v1!.sections.shap!.global.find((g) => g.feature === "gender")!.meanAbs).toBeGreaterThan(0.02);
  });

  it("explains chosen rows against a background file, sampled with standard errors, on the logit scale", async () => {
    const dir = tempDir();
    const lines = fs.readFileSync(DEMO_CSV, "utf8").split("\n");
    fs.writeFileSync(path.join(dir, "bg.csv"), lines.slice(0, 21).join("\n") + "\n");
    const { spec, baseDir } = readSpecFile(DEMO_SPECS[0]!);
    const custom = {
      ...spec,
      dataset: { ...spec.dataset, path: DEMO_CSV },
      model: { path: path.join(baseDir, "models/v1") },
      analyses: {
        shap: {
          ...spec.analyses.shap!,
          link: "logit" as const,
          background: { path: path.join(dir, "bg.csv") },
          rows: [0, 5, 9],
          samples: 300,
        },
      },
      policy: [{ metric: "mean_abs_shap", feature: "gender", max: 10 }],
    };
    const r = await runAuditSpec({ spec: custom, baseDir: dir, threads: 1 });
    const shap = r.sections.shap!;
    expect(shap).toMatchObject({ mode: "sampled", link: "logit", background: { method: "file", rows: 20 }, explained: { method: "rows", rows: 3 } });
    expect(shap.coalitions).toBeLessThanOrEqual(300);
    expect(shap.rows.map((x) => x.row)).toEqual([0, 5, 9]);
    expect(shap.rows.map((x) => x.line)).toEqual([2, 7, 11]);
    expect(shap.rows[0]!.values[shap.features.indexOf("gender")]).toBe("female"); // the first worker in the sample
    expect(shap.rows.every((x) => x.se.some((s) => s > 0))).toBe(true);
    expect(shap.maxAdditivityError).toBeLessThan(1e-6);
    expect(r.policy[0]).toMatchObject({ metric: "mean_abs_shap", feature: "gender", pass: true });
  });

  it("seeds the database once (CPS wages and Adult GBM), and the app's services list and read the reports", async () => {
    expect(await seedDemo()).toBe(4);
    expect(await seedDemo()).toBe(0);
    const { actor } = await makeUser("reviewer");
    const audits = await listAudits(actor);
    expect(audits.map((a) => a.name).sort()).toEqual(["Adult income GBM v1", "Adult income GBM v2", "CPS wages v1", "CPS wages v2"]);
    expect(audits.every((a) => a.status === "succeeded")).toBe(true);
    expect(audits.filter((a) => a.project === "CPS wages demo")).toHaveLength(2);
    const gbm = await getDb().modelVersion.findMany({ where: { kind: "xgboost-json" } });
    expect(gbm.map((v) => v.version).sort()).toEqual(["v1", "v2"]);
    expect(gbm[0]!.capabilities).toMatchObject({ trees: { count: 100, maxDepth: 5 }, gradients: null });
    const v2 = audits.find((a) => a.name === "CPS wages v2")!;
    const page = await getAuditPage(actor, v2.id);
    expect(page.report!.schemaVersion).toBe(1);
    expect(page.previous?.version).toBe("v1"); // v2's dashboard shows deltas against v1
    expect(await getDb().modelVersion.count()).toBe(4);
    await expect(getAuditPage(actor, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listAudits(null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("leaves the database in a state `prisma migrate status` calls up to date", () => {
    const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "status"], { cwd: ROOT, encoding: "utf8", env: { ...process.env } });
    expect(fs.existsSync(sqlitePath())).toBe(true);
    expect(r.stdout + r.stderr).toMatch(/Database schema is up to date/);
  });

  it("leaks no tensors over 100 audits in one process", async () => {
    const { spec, baseDir } = readSpecFile(DEMO_SPECS[0]!);
    const light = {
      ...spec,
      analyses: {
        performance: { ...spec.analyses.performance!, bootstrap: 0 },
        fairness: { ...spec.analyses.fairness!, bootstrap: 0 },
        shap: { ...spec.analyses.shap!, rows: 3 },
        robustness: { ...spec.analyses.robustness!, rows: 5, epsilons: [0.5] },
      },
    };
    await runAuditSpec({ spec: light, baseDir, threads: 1 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await runAuditSpec({ spec: light, baseDir, threads: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
