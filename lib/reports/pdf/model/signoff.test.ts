// The sign-off model from decision records: which decision stands, what the cover says.

import { signoffModel, type PdfReviewInput } from "./signoff";

const HASH = "a".repeat(64);
const step = (action: PdfReviewInput["decisions"][number]["action"], at: string, extra: Partial<PdfReviewInput["decisions"][number]> = {}) => ({
  action,
  actorName: action === "submit" ? "Sam" : "Rita",
  actorEmail: action === "submit" ? "sam@x" : "rita@x",
  actorRoleLabel: action === "submit" ? "Data scientist" : "Reviewer",
  note: `${action} note`,
  conditions: "",
  reportSha256: HASH,
  createdAt: at,
  ...extra,
});

describe("signoffModel", () => {
  it("without a review (the CLI): not reviewed, blank lines", () => {
    const m = signoffModel("r1", HASH, "Sam", null);
    expect(m.decision).toBeNull();
    expect(m.coverLine).toEqual({ title: "Not reviewed", detail: "no reviewer has approved this report in Assay", tone: "neutral" });
    expect(m.statement).toMatch(/^Not reviewed: no decision on this report \(report ID r1\)/);
  });

  it("approved with conditions: the decision fills the page and the cover", () => {
    const m = signoffModel("r1", HASH, "Sam", { state: "approved", decisions: [step("submit", "2026-12-01T10:00:00Z"), step("approve", "2026-12-01T11:00:00Z", { conditions: "re-audit in 90 days" })], comments: [] });
    expect(m.decision).toMatchObject({ name: "Rita (rita@x)", role: "Reviewer", outcome: "Approved with conditions", rationale: "approve note", conditions: "re-audit in 90 days", reportSha256: HASH, hashMismatch: false });
    expect(m.coverLine.title).toBe("Approved");
    expect(m.coverLine.detail).toBe("by Rita (Reviewer) on 2026-12-01 11:00 UTC, with conditions: re-audit in 90 days");
    expect(m.submitted).toMatchObject({ name: "Sam (sam@x)", role: "Data scientist" });
  });

  it("submitted again after changes were requested: no standing decision, the request is history", () => {
    const m = signoffModel("r1", HASH, "Sam", { state: "in_review", decisions: [step("submit", "2026-12-01T10:00:00Z"), step("request_changes", "2026-12-01T11:00:00Z"), step("submit", "2026-12-01T12:00:00Z")], comments: [] });
    expect(m.decision).toBeNull();
    expect(m.coverLine).toMatchObject({ title: "Not reviewed", tone: "neutral" });
    expect(m.coverLine.detail).toMatch(/^submitted for review by Sam on 2026-12-01 12:00 UTC/);
    expect(m.history.map((h) => h.what)).toEqual(["submitted for review (In review)", "requested changes (Changes requested)", "submitted for review (In review)"]);
  });

  it("flags a decision recorded for another report hash", () => {
    const m = signoffModel("r1", HASH, "Sam", { state: "rejected", decisions: [step("reject", "2026-12-01T11:00:00Z", { reportSha256: "b".repeat(64) })], comments: [] });
    expect(m.decision).toMatchObject({ outcome: "Not approved", hashMismatch: true });
    expect(m.coverLine).toMatchObject({ title: "Rejected", tone: "fail" });
  });
});
