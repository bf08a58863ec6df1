import type { Report } from "../../../report/types";
import { loadFixture } from "../../../views/testing/fixtures";
import { coverModel, datasetDisplayName, modelVersionName, projectName } from "./cover";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");
const SHA = "ab".repeat(32);

describe("coverModel", () => {
  test("the control block carries the report ID and every hash in full", () => {
    const c = coverModel(v1, { reportSha256: SHA, preparedBy: "Jane Auditor" });
    const value = (label: string) => c.control.filter((r) => r.label === label).map((r) => r.value);
    expect(value("Report ID")).toEqual([v1.id]);
    expect(value("Report SHA-256")).toEqual([SHA]);
    expect(value("Dataset SHA-256")).toEqual([v1.dataset.sha256]);
    expect(value("Model file SHA-256")).toEqual(v1.model.files!.map((f) => f.sha256));
    expect(value("Prepared by")).toEqual(["Jane Auditor"]);
    expect(c.control.filter((r) => r.mono).every((r) => /^[0-9a-f-]+$/.test(r.value))).toBe(true);
    expect(c.verdict.status).toBe("fail");
    expect(c.checksText).toBe(`${v1.policy.filter((p) => p.pass).length} of ${v1.policy.length} policy checks pass`);
  });

  test("names: the caller's win, then the spec's, then the files'", () => {
    expect(projectName(v1, {})).toBe("CPS wages demo");
    expect(projectName(v1, { project: "Payroll" })).toBe("Payroll");
    expect(projectName(compas, {})).toBe("COMPAS decile score");
    expect(modelVersionName(v1, {})).toBe("v1");
    expect(modelVersionName(v1, { modelVersion: "2025.1" })).toBe("2025.1");
    expect(modelVersionName(compas, {})).toBe("score column decile_score");
    const noVersion: Report = { ...v1, spec: { ...v1.spec, model: { path: "models/v1" } } };
    expect(modelVersionName(noVersion, {})).toBe("v1");
    expect(datasetDisplayName(v1, {})).toBe("cps-wages-1985.csv");
    expect(datasetDisplayName(v1, { datasetName: "CPS 1985" })).toBe("CPS 1985");
    expect(coverModel(v1, { reportSha256: SHA }).preparedBy).toBe("not stated");
  });

  test("a score-column audit says there are no model files", () => {
    const c = coverModel(compas, { reportSha256: SHA });
    expect(c.control.some((r) => r.label === "Model file SHA-256")).toBe(false);
    expect(c.control.find((r) => r.label === "Model files")?.value).toMatch(/score column/);
  });
});
