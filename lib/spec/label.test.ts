import { guessLabelColumn } from "./label";

describe("guessLabelColumn", () => {
  it.each([
    [["sex", "two_year_recid", "is_recid"], "two_year_recid"], // COMPAS: the first target-like name, not sex
    [["sex", "income"], "income"], // Adult
    [["sex", "foreign_worker", "credit_risk"], "credit_risk"], // German credit
    [["gender", "wage_above_median", "label"], "label"],
    [["y", "race"], "y"],
  ])("proposes the target-like column among %j", (cols, want) => {
    expect(guessLabelColumn(cols)).toBe(want);
  });
  it("never proposes a sensitive attribute, and proposes nothing when no name fits", () => {
    expect(guessLabelColumn(["sex", "union"])).toBe("");
    expect(guessLabelColumn(["label"], ["label"])).toBe("");
    expect(guessLabelColumn([])).toBe("");
  });
});
