/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["umd", "browser", "require", "default"]}
 */
// Component tests (React.createElement, so the file matches the unit project's *.test.ts).
// d3's packages are ES modules; the "umd" export condition makes jest load their UMD builds.

import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { createElement } from "react";
import type { Report } from "@/lib/report/types";
import { fmtValue } from "@/lib/views/format";
import { edgeIndexOf, ratesAtThresholdOrThrow, thresholdAttribute } from "@/lib/views/threshold";
import { loadFixture } from "@/lib/views/testing/fixtures";
import { ReportDashboard } from "./ReportDashboard";

jest.mock("./report.module.css", () => new Proxy({}, { get: (_t, key) => (typeof key === "string" ? key : undefined) }));

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");
const compas = loadFixture("compas");

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

function renderDashboard(report: Report, previous: Report | null = null) {
  return render(createElement(ReportDashboard, { report, previous }));
}

function activePanel(): HTMLElement {
  const panels = screen.getAllByRole("tabpanel", { hidden: true }).filter((p) => !p.hidden);
  expect(panels).toHaveLength(1);
  return panels[0]!;
}

test("tabs: the arrow keys, Home and End move between tabs and show their panel", () => {
  renderDashboard(v1);
  const tabs = screen.getAllByRole("tab");
  expect(tabs.map((t) => t.textContent)).toEqual(["Summary", "Performance", "Fairness", "Explanations", "Robustness"]);
  expect(tabs[0]!.getAttribute("aria-selected")).toBe("true");
  expect(tabs[1]!.getAttribute("tabindex")).toBe("-1");
  tabs[0]!.focus();

  fireEvent.keyDown(tabs[0]!, { key: "ArrowRight" });
  expect(tabs[1]!.getAttribute("aria-selected")).toBe("true");
  expect(document.activeElement).toBe(tabs[1]);
  expect(activePanel().getAttribute("aria-labelledby")).toBe(tabs[1]!.id);
  expect(within(activePanel()).getByText("How well the model predicts")).toBeTruthy();
  expect(window.location.hash).toBe("#performance");

  fireEvent.keyDown(tabs[1]!, { key: "End" });
  expect(tabs[4]!.getAttribute("aria-selected")).toBe("true");
  expect(within(activePanel()).getByText("Threat model: what the attack may change")).toBeTruthy();

  fireEvent.keyDown(tabs[4]!, { key: "ArrowRight" });
  expect(tabs[0]!.getAttribute("aria-selected")).toBe("true");
  fireEvent.keyDown(tabs[0]!, { key: "ArrowLeft" });
  expect(tabs[4]!.getAttribute("aria-selected")).toBe("true");
  fireEvent.keyDown(tabs[4]!, { key: "Home" });
  expect(tabs[0]!.getAttribute("aria-selected")).toBe("true");
  expect(document.activeElement).toBe(tabs[0]);
});

test("tabs: the URL hash opens a tab", () => {
  window.history.replaceState(null, "", "/#fairness");
  renderDashboard(v1);
  expect(screen.getByRole("tab", { name: "Fairness" }).getAttribute("aria-selected")).toBe("true");
  expect(within(activePanel()).getByText("Groups of gender")).toBeTruthy();
});

test("summary: every policy check is a card with its pass/fail, value and requirement", () => {
  renderDashboard(v1);
  const cards = screen.getAllByTestId("policy-card");
  expect(cards).toHaveLength(v1.policy.length);
  v1.policy.forEach((p, i) => {
    const text = cards[i]!.textContent ?? "";
    expect(text).toContain(p.pass ? "✓ pass" : "✗ fail");
    expect(text).not.toContain(p.pass ? "✗ fail" : "✓ pass");
    expect(text).toContain(fmtValue(p.value));
  });
  expect(cards[1]!.textContent).toContain("must be at least 0.8");
  expect(cards[1]!.textContent).toContain("worst group: female");
  expect(screen.getByRole("status").textContent).toContain("2 of 6 policy checks fail");
  expect(screen.getByText(v1.dataset.sha256)).toBeTruthy();
});

test("summary: with a previous version, headline deltas and the previous status", () => {
  renderDashboard(v2, v1);
  const headlines = screen.getByText("Headline numbers").closest("section")!;
  // ROC AUC 0.932 → 0.888
  expect(headlines.textContent).toContain("was 0.932");
  expect(within(headlines).getAllByTitle(/worse$/).length).toBeGreaterThan(0);
  expect(screen.getAllByTestId("policy-card")[1]!.textContent).toContain("Previous version: 0.636 ✗ fail");
});

test("fairness: small groups are flagged in the table, the notice and the charts", () => {
  renderDashboard(v1);
  fireEvent.click(screen.getByRole("tab", { name: "Fairness" }));
  const panel = activePanel();
  fireEvent.change(within(panel).getByLabelText("Attribute"), { target: { value: "race" } });
  expect(within(panel).getByTestId("small-groups").textContent).toContain("hispanic");
  const row = within(panel).getAllByRole("row").find((r) => r.getAttribute("data-small") === "true")!;
  expect(within(row).getByText("hispanic")).toBeTruthy();
  expect(within(row).getByText("small (n < 30)")).toBeTruthy();
  expect(within(panel).getByText("Reference group: white (chosen in the audit spec).")).toBeTruthy();
  // chart ticks carry the flag; small groups' bars are hatched
  expect(within(panel).getAllByText("n = 27 · small").length).toBeGreaterThan(0);
  expect(panel.querySelectorAll("svg pattern").length).toBeGreaterThan(0);
  // gender has no small group
  fireEvent.change(within(panel).getByLabelText("Attribute"), { target: { value: "gender" } });
  expect(within(panel).queryByTestId("small-groups")).toBeNull();
});

test("fairness: an excluded group is shown as excluded", () => {
  const r: Report = JSON.parse(JSON.stringify(v1)) as Report;
  const race = r.sections.fairness!.attributes[1]!;
  race.groups[0]!.excluded = true;
  race.excluded = [{ group: "hispanic", n: 27, reason: "n = 27 < min_group_size 30" }];
  renderDashboard(r);
  fireEvent.click(screen.getByRole("tab", { name: "Fairness" }));
  const panel = activePanel();
  fireEvent.change(within(panel).getByLabelText("Attribute"), { target: { value: "race" } });
  expect(within(panel).getByTestId("excluded-groups").textContent).toContain("hispanic (n = 27 < min_group_size 30)");
  expect(within(panel).getAllByText("excluded from comparisons").length).toBeGreaterThan(0);
});

test("fairness: an undefined rate shows — with its reason", () => {
  renderDashboard(compas);
  fireEvent.click(screen.getByRole("tab", { name: "Fairness" }));
  const panel = activePanel();
  fireEvent.change(within(panel).getByLabelText("Attribute"), { target: { value: "race & sex" } });
  expect(within(panel).getAllByText("nobody in this group was selected").length).toBeGreaterThan(0);
});

test("fairness: the threshold slider shows the recomputed selection rate", () => {
  renderDashboard(v1);
  fireEvent.click(screen.getByRole("tab", { name: "Fairness" }));
  const panel = activePanel();
  fireEvent.change(within(panel).getByLabelText("Attribute"), { target: { value: "race" } });
  const dist = v1.sections.fairness!.distribution!;
  const attr = thresholdAttribute(v1.sections.fairness!.attributes[1]!, "benefit");
  const audit = edgeIndexOf(dist.edges, v1.decision.threshold);
  const stored = v1.sections.fairness!.attributes[1]!.groups.find((g) => g.group === "white")!.rates.selection_rate!.value;
  const cell = () => within(panel).getByTestId("slider-selection_rate-white").textContent;
  expect(cell()).toBe(fmtValue(stored));

  const slider = within(panel).getByRole("slider");
  const k = audit + 15;
  act(() => {
    fireEvent.change(slider, { target: { value: String(k) } });
  });
  const expected = ratesAtThresholdOrThrow(dist, attr, k);
  expect(within(panel).getByTestId("threshold-value").textContent).toBe(String(dist.edges[k]));
  expect(cell()).toBe(fmtValue(expected.groups.find((g) => g.group === "white")!.rates.selection_rate));
  expect(cell()).not.toBe(fmtValue(stored));
  expect(within(panel).getByTestId("slider-demographic_parity_ratio").textContent).toBe(fmtValue(expected.aggregates.demographic_parity_ratio.value));

  fireEvent.click(within(panel).getByRole("button", { name: /Back to the audit's threshold/ }));
  expect(cell()).toBe(fmtValue(stored));
});

test("absent sections say that the analysis was not run, and why", () => {
  renderDashboard(compas);
  fireEvent.click(screen.getByRole("tab", { name: "Explanations" }));
  expect(within(activePanel()).getAllByText(/was not run: it needs a model that Assay can re-score, and this audit checks the score column "decile_score"/)).toHaveLength(2);
  fireEvent.click(screen.getByRole("tab", { name: "Robustness" }));
  expect(within(activePanel()).getByText(/Robustness testing was not run: it needs a model/)).toBeTruthy();
  fireEvent.click(screen.getByRole("tab", { name: "Performance" }));
  expect(within(activePanel()).getByText(/not a probability, so it was not computed/)).toBeTruthy();
  cleanup();

  const bare: Report = { ...v1, sections: { performance: v1.sections.performance } };
  renderDashboard(bare);
  fireEvent.click(screen.getByRole("tab", { name: "Fairness" }));
  expect(within(activePanel()).getByText("Fairness was not run for this audit: the audit spec did not ask for it.")).toBeTruthy();
  fireEvent.click(screen.getByRole("tab", { name: "Robustness" }));
  expect(within(activePanel()).getByText("Robustness testing was not run for this audit: the audit spec did not ask for it.")).toBeTruthy();
});

test("explanations: choosing an explained row shows its waterfall", () => {
  renderDashboard(v1);
  fireEvent.click(screen.getByRole("tab", { name: "Explanations" }));
  const panel = activePanel();
  const row = v1.sections.shap!.rows[2]!;
  fireEvent.click(within(panel).getByRole("button", { name: new RegExp(`^row ${row.row} `) }));
  expect(within(panel).getByText(`Data row ${row.row} (file line ${row.line}): prediction ${fmtValue(row.prediction)}`)).toBeTruthy();
});
