import { parse } from "yaml";
import { loadFixture } from "../../../views/testing/fixtures";
import { appendixModel, seeds, software, specYaml, timings } from "./appendix";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");

describe("appendix", () => {
  test("the YAML listing is the stored spec", () => {
    expect(parse(specYaml(v1))).toEqual(JSON.parse(JSON.stringify(v1.spec)));
    expect(parse(specYaml(compas))).toEqual(JSON.parse(JSON.stringify(compas.spec)));
  });
  test("every seed of the analyses that ran", () => {
    const s = v1.sections;
    expect(seeds(v1).map((r) => r.value)).toEqual([s.performance!.bootstrap!.seed, s.fairness!.bootstrap.seed, s.permutationImportance!.seed, s.shap!.seed, s.robustness!.seed].map(String));
    expect(seeds(compas).map((r) => r.label)).toEqual(["Performance bootstrap", "Fairness bootstrap"]);
  });
  test("software versions and timings", () => {
    const sw = software(v1, "4.9.0");
    const value = (l: string) => sw.find((r) => r.label === l)?.value;
    expect(value("Engine")).toBe(`assay ${v1.engine.version}`);
    expect(value("TensorFlow.js")).toBe(v1.engine.tfjsVersion);
    expect(value("Backend")).toBe(v1.engine.backend);
    expect(value("Node.js")).toBe(v1.engine.node);
    expect(value("PDF renderer")).toBe("@react-pdf/renderer 4.9.0");
    expect(timings(v1)).toHaveLength(v1.timings.length);
    expect(timings({ ...v1, timings: [{ analysis: "shap", ms: 858 }, { analysis: "total", ms: 2130 }] })).toEqual([
      { label: "SHAP explanations", value: "858 ms" },
      { label: "Total", value: "2.1 s" },
    ]);
    expect(appendixModel(compas, null).software.find((r) => r.label === "PDF renderer")).toBeUndefined();
  });
});
