// PDF audit reports, rendered by the CLI from stored reports (the CPS demo v1 with v2 as previous
// version and the reverse, COMPAS, and an Adult audit), read back with pdftotext and checked
// against the report JSON: the hash on the cover, every policy result, every group and its count,
// key metrics, and page counts. Every page is also rendered to PNG with pdftoppm into
// artifacts/pdf/ to be looked at.

import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Report } from "../lib/report/types";
import { reportSha256 } from "../lib/report/hash";
import { runCli, tempDir, writeSpec } from "./helpers/cli";
import { ROOT, sharedDataset } from "./helpers/shared";

const SHOTS = path.join(ROOT, "artifacts", "pdf");
const dir = tempDir("assay-pdf-");

interface Rendered {
  name: string;
  report: Report;
  text: string;
  /** The text without any whitespace: long values may wrap across lines. */
  flat: string;
  pages: number;
}

function audit(name: string, spec: string): Report {
  const out = path.join(dir, name);
  const r = runCli(["audit", spec, "--out", out, "--quiet", "--pdf"]);
  if (r.code > 1) throw new Error(r.stderr);
  expect(fs.existsSync(path.join(out, "report.pdf"))).toBe(true);
  return JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as Report;
}

function render(name: string, reportFile: string, previous?: string): Rendered {
  const pdf = path.join(dir, `${name}.pdf`);
  const r = runCli(["report", reportFile, "--pdf", pdf, "--prepared-by", "Test Reviewer", ...(previous ? ["--previous", previous] : [])]);
  if (r.code !== 0) throw new Error(r.stderr);
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  fs.mkdirSync(SHOTS, { recursive: true });
  spawnSync("pdftoppm", ["-r", "60", "-png", pdf, path.join(SHOTS, name)]);
  return { name, report: JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report, text, flat: text.replace(/\s+/g, ""), pages };
}

const rate = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3));
const count = (v: number) => Math.round(v).toLocaleString("en-US");

const docs: Rendered[] = [];

beforeAll(() => {
  const v1 = audit("cps-v1", path.join(ROOT, "audits/examples/cps-wages/v1.audit.yaml"));
  const v2 = audit("cps-v2", path.join(ROOT, "audits/examples/cps-wages/v2.audit.yaml"));
  void v1;
  void v2;
  const compasSpec = writeSpec(
    dir,
    fs.readFileSync(path.join(ROOT, "audits/examples/compas/decile-score.audit.yaml"), "utf8").replace(/path: [^,]+compas-two-years\.csv/, `path: ${JSON.stringify(sharedDataset("compas-two-years.csv"))}`),
    "compas.audit.yaml",
  );
  audit("compas", compasSpec);
  const adultSpec = writeSpec(
    dir,
    `name: Adult education screen
purpose: Screen applicants with at least a bachelor's degree (education_num ≥ 13).
dataset: { path: ${JSON.stringify(sharedDataset("adult.csv"))}, label: income, positive: ">50K", weight: fnlwgt }
model: { score: education_num }
threshold: 13
sensitive: [sex, race]
analyses: { performance: {}, fairness: { bootstrap: 300, seed: 2 } }
policy:
  - { metric: impact_ratio, attribute: sex, min: 0.8 }
  - { metric: impact_ratio, attribute: "sex & race", min: 0.8 }
  - { metric: roc_auc, min: 0.6 }
`,
    "adult.audit.yaml",
  );
  audit("adult", adultSpec);
  docs.push(render("cps-v1", path.join(dir, "cps-v1", "report.json"), path.join(dir, "cps-v2", "report.json")));
  docs.push(render("cps-v2", path.join(dir, "cps-v2", "report.json"), path.join(dir, "cps-v1", "report.json")));
  docs.push(render("compas", path.join(dir, "compas", "report.json")));
  docs.push(render("adult", path.join(dir, "adult", "report.json")));
});

describe.each(["cps-v1", "cps-v2", "compas", "adult"])("the PDF of %s", (name) => {
  const doc = () => docs.find((d) => d.name === name)!;

  it("prints the report ID and the SHA-256 of the report JSON, the dataset and the model files", () => {
    const { report, flat } = doc();
    expect(flat).toContain(report.id);
    expect(flat).toContain(reportSha256(report));
    expect(flat).toContain(report.dataset.sha256);
    for (const f of report.model.files ?? []) expect(flat).toContain(f.sha256);
    expect(doc().text).toContain("Test Reviewer");
  });

  it("shows every policy check with its value and PASS/FAIL", () => {
    const { report, text } = doc();
    const lines = text.split("\n");
    for (const p of report.policy) {
      const row = lines.find((l) => l.includes(p.pass ? "PASS" : "FAIL") && l.includes(rate(p.value)));
      expect(row).toBeDefined();
    }
    expect(text).toMatch(report.passed ? /PASS/ : /FAIL/);
  });

  it("lists every group of every attribute and intersection with its count", () => {
    const { report, text } = doc();
    const lines = text.split("\n");
    for (const a of report.sections.fairness?.attributes ?? []) {
      for (const g of a.groups) {
        // long intersection names may wrap; their first value is enough to find the row
        const head = g.group.split(" & ").pop()!.split("=").pop()!;
        const row = lines.find((l) => l.includes(head) && new RegExp(`(^|\\s)${count(g.n).replace(/,/g, ",")}(\\s|$)`).test(l));
        expect({ attribute: a.attribute, group: g.group, found: Boolean(row) }).toEqual({ attribute: a.attribute, group: g.group, found: true });
      }
    }
  });

  it("shows the key performance numbers", () => {
    const { report, text } = doc();
    for (const id of ["accuracy", "roc_auc"]) {
      const v = report.sections.performance?.metrics[id]?.value;
      if (v !== undefined && v !== null) expect(text).toContain(rate(v));
    }
  });

  it("has every part of a complete audit report on a sensible number of pages", () => {
    const { text, pages, report } = doc();
    for (const heading of ["Executive summary", "Scope and intended use", "Data", "Performance", "Fairness", "Explainability", "Robustness", "Methodology", "Sign-off", "Appendix"]) {
      expect(text).toContain(heading);
    }
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(pages).toBeLessThanOrEqual(report.sections.shap ? 60 : 45);
    expect(text).toMatch(/Page 1 of \d+/);
  });
});

describe("PDF specifics", () => {
  it("states that explanations and robustness were not run for a score-column audit", () => {
    const compas = docs.find((d) => d.name === "compas")!;
    expect(compas.text).toMatch(/not run/i);
  });

  it("reports changes against the previous version when given one", () => {
    const v2 = docs.find((d) => d.name === "cps-v2")!;
    expect(v2.text).toMatch(/previous/i);
    expect(v2.text).toMatch(/v1/);
  });

  it("prints the LL144-style impact-ratio table with the unknown count", () => {
    const adult = docs.find((d) => d.name === "adult")!;
    expect(adult.text).toMatch(/impact ratio/i);
    expect(adult.text).toMatch(/unknown/i);
  });
});
