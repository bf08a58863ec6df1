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

  it("prints the LL144-style impact-ratio table of Adult by sex: counts, weighted selection rates and ratios computed here from the CSV", () => {
    const adult = docs.find((d) => d.name === "adult")!;
    const { header, rows } = readCsv(sharedDataset("adult.csv"));
    const col = (name: string) => header.indexOf(name);
    const expected = tally(rows, (r) => r[col("sex")]!, (r) => Number(r[col("education_num")]) >= 13, (r) => Number(r[col("fnlwgt")]));
    const table = ll144Table(adult.text, "sex");
    expect(adult.text).toContain("Selection rate");
    expect(table.unknown).toBe(0);
    expect([...table.rows.keys()].sort()).toEqual(["Female", "Male"]);
    const best = Math.max(...[...expected.values()].map((e) => e.rate));
    for (const [group, e] of expected) {
      const got = table.rows.get(group)!;
      expect(got.n).toBe(e.n);
      // printed to 3 decimals: within half a unit of the last digit
      expect(Math.abs(got.rate! - e.rate)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(got.ratio! - e.rate / best)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(got.failing).toBe(e.rate / best < 0.8);
    }
    expect(table.rows.get("Male")!.notes).toBe("highest rate");
  });

  it("prints COMPAS's LL144 table under harm on the favourable rate (not flagged), with groups under 2% excluded, from the CSV", () => {
    const compas = docs.find((d) => d.name === "compas")!;
    const { header, rows } = readCsv(sharedDataset("compas-two-years.csv"));
    const col = (name: string) => header.indexOf(name);
    // favourable = not flagged: decile_score < 5
    const expected = tally(rows, (r) => r[col("race")]!, (r) => Number(r[col("decile_score")]) < 5, () => 1);
    const table = ll144Table(compas.text, "race");
    expect(compas.text).toContain("Favourable rate (not flagged)");
    expect(table.unknown).toBe(0);
    expect([...table.rows.keys()].sort()).toEqual([...expected.keys()].sort());
    const included = [...expected].filter(([, e]) => e.n / rows.length >= 0.02);
    expect(included.map(([g]) => g).sort()).toEqual(["African-American", "Caucasian", "Hispanic", "Other"]);
    const best = Math.max(...included.map(([, e]) => e.rate));
    for (const [group, e] of expected) {
      const got = table.rows.get(group)!;
      expect(got.n).toBe(e.n);
      expect(Math.abs(got.rate! - e.rate)).toBeLessThanOrEqual(0.0005 + 1e-9);
      // an excluded group's ratio (against the highest included group) is printed in brackets, never flagged
      expect(Math.abs(got.ratio! - e.rate / best)).toBeLessThanOrEqual(0.0005 + 1e-9);
      const excluded = e.n / rows.length < 0.02;
      expect({ group, bracketed: got.bracketed, failing: got.failing }).toEqual({ group, bracketed: excluded, failing: !excluded && e.rate / best < 0.8 });
      if (excluded) expect(got.notes).toMatch(/^excluded/);
    }
    // African-American defendants are the least often left unflagged: the lowest ratio of those compared
    const lowest = included.reduce((a, b) => (b[1].rate < a[1].rate ? b : a));
    expect(lowest[0]).toBe("African-American");
  });
});

/** A CSV file (RFC 4180 quoting), read independently of the engine's reader. */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const text = fs.readFileSync(file, "utf8");
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      field = "";
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
    } else field += ch;
  }
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  return { header: records[0]!, rows: records.slice(1) };
}

/** Per group: row count and the (weighted) share of rows for which `hit` holds. */
function tally(rows: string[][], group: (r: string[]) => string, hit: (r: string[]) => boolean, weight: (r: string[]) => number): Map<string, { n: number; rate: number }> {
  const acc = new Map<string, { n: number; w: number; hw: number }>();
  for (const r of rows) {
    const g = acc.get(group(r)) ?? { n: 0, w: 0, hw: 0 };
    g.n++;
    g.w += weight(r);
    if (hit(r)) g.hw += weight(r);
    acc.set(group(r), g);
  }
  return new Map([...acc].map(([k, g]) => [k, { n: g.n, rate: g.hw / g.w }]));
}

/** The LL144 table of one attribute as pdftotext prints it: category, individuals, rate, impact ratio (✗ when failing), notes. */
interface Ll144PrintedRow {
  n: number;
  rate: number | null;
  ratio: number | null;
  /** Printed in brackets: an excluded group's ratio, for information. */
  bracketed: boolean;
  failing: boolean;
  notes: string;
}

function ll144Table(text: string, attribute: string): { rows: Map<string, Ll144PrintedRow>; unknown: number } {
  const start = text.indexOf(`Categories: ${attribute}\n`);
  expect(start).toBeGreaterThan(0);
  const end = text.indexOf("Number of individuals in the unknown category:", start);
  const unknown = Number(/unknown category: ([\d,]+)/.exec(text.slice(end))![1]!.replace(/,/g, ""));
  const rows = new Map<string, Ll144PrintedRow>();
  const num = (s: string) => (s === "—" ? null : Number(s));
  for (const line of text.slice(start, end).split("\n")) {
    const m = /^\s*(\S.*?)\s{2,}([\d,]+)\s+(—|\d\.\d+)\s+(—|\(?\d\.\d+\)?)( ✗)?(?:\s+(\S.*))?$/.exec(line);
    if (m) rows.set(m[1]!, { n: Number(m[2]!.replace(/,/g, "")), rate: num(m[3]!), ratio: num(m[4]!.replace(/[()]/g, "")), bracketed: m[4]!.startsWith("("), failing: Boolean(m[5]), notes: (m[6] ?? "").trim() });
  }
  return { rows, unknown };
}
