/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["umd", "browser", "require", "default"]}
 */
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { createElement } from "react";
import { loadFixture } from "@/lib/views/testing/fixtures";
import { CompareView } from "./CompareView";

jest.mock("./report.module.css", () => new Proxy({}, { get: (_t, key) => (typeof key === "string" ? key : undefined) }));

const v1 = loadFixture("cps-v1");
const v2 = loadFixture("cps-v2");

afterEach(cleanup);

test("policy status changes, deltas coloured better/worse, SHAP rank changes", () => {
  render(createElement(CompareView, { items: [{ label: "v1", report: v1 }, { label: "v2", report: v2 }] }));
  const policy = screen.getByText("Policy checks across versions").closest("section")!;
  const impact = within(policy).getAllByRole("row").find((r) => r.textContent?.startsWith("Impact ratio"))!;
  expect(impact.textContent).toContain("0.636 ✗ fail");
  expect(impact.textContent).toContain("0.841 ✓ pass");
  expect(impact.textContent).toContain("now passes");

  const perf = screen.getByText("Performance").closest("details")!;
  const auc = within(perf).getAllByRole("row").find((r) => r.textContent?.startsWith("ROC AUC"))!;
  expect(within(auc).getByTitle("\u22120.045: worse")).toBeTruthy();

  const shap = screen.getByText("SHAP rank changes").closest("section")!;
  const gender = within(shap).getAllByRole("row").find((r) => r.textContent?.startsWith("gender"))!;
  expect(gender.textContent).toContain("not used");
  expect(gender.textContent).toContain("dropped");
});

test("the trend chart draws the chosen metrics", () => {
  const { container } = render(createElement(CompareView, { items: [{ label: "v1", report: v1 }, { label: "v2", report: v2 }] }));
  const box = screen.getByRole("checkbox", { name: "Accuracy" });
  expect((box as HTMLInputElement).checked).toBe(false);
  const before = container.querySelectorAll(".recharts-line").length;
  fireEvent.click(box);
  expect((box as HTMLInputElement).checked).toBe(true);
  expect(container.querySelectorAll(".recharts-line").length).toBe(before + 1);
});

test("fewer than two versions", () => {
  render(createElement(CompareView, { items: [{ label: "v1", report: v1 }] }));
  expect(screen.getByText("Choose at least two versions to compare.")).toBeTruthy();
});
