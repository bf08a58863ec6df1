import { appliesTo, baseName, boundText, breakPoints, fitLabel, listText, plural } from "./text";

describe("boundText", () => {
  test("symbols for one-sided bounds, words for a range", () => {
    expect(boundText(0.8, undefined)).toBe("≥ 0.8");
    expect(boundText(undefined, 0.2)).toBe("≤ 0.2");
    expect(boundText(0.8, 1.25)).toBe("between 0.8 and 1.25");
    expect(boundText(undefined, undefined)).toBe("no limit");
  });
});

describe("appliesTo", () => {
  test("names the attribute, group, feature and budget; whole dataset otherwise", () => {
    expect(appliesTo({})).toBe("whole dataset");
    expect(appliesTo({ attribute: "gender" })).toBe("gender");
    expect(appliesTo({ attribute: "race", group: "other" })).toBe("race: other");
    expect(appliesTo({ feature: "age" })).toBe("feature age");
    expect(appliesTo({ attribute: "gender", epsilon: 0.1 })).toBe("gender · ε = 0.1");
  });
});

describe("baseName", () => {
  test("last path segment", () => {
    expect(baseName("models/v1")).toBe("v1");
    expect(baseName("models/v1/")).toBe("v1");
    expect(baseName("/work/shared/datasets/adult.csv")).toBe("adult.csv");
    expect(baseName("file.csv")).toBe("file.csv");
  });
});

describe("breakPoints", () => {
  test("ordinary words are never hyphenated", () => {
    expect(breakPoints("demographic")).toEqual(["demographic"]);
    expect(breakPoints("African-American")).toEqual(["African-American"]);
  });
  test("long tokens break after separators and nothing is lost", () => {
    const path = "/work/shared/datasets/some_very_long_directory_name/adult.csv";
    const parts = breakPoints(path);
    expect(parts.join("")).toBe(path);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(28);
  });
  test("a long token without separators is cut into pieces of at most max characters", () => {
    const hex = "a".repeat(64);
    expect(breakPoints(hex, 28)).toEqual(["a".repeat(28), "a".repeat(28), "a".repeat(8)]);
  });
});

describe("fitLabel", () => {
  test("keeps short labels and cuts long ones with an ellipsis", () => {
    expect(fitLabel("female", 100, 6)).toBe("female");
    // 0.56 em per character at 10 pt: 5.6 pt per character, 30 pt → 5 characters
    expect(fitLabel("abcdefghij", 30, 10)).toBe("abcd…");
  });
});

describe("listText and plural", () => {
  test("joins with commas and 'and'", () => {
    expect(listText([])).toBe("");
    expect(listText(["a"])).toBe("a");
    expect(listText(["a", "b"])).toBe("a and b");
    expect(listText(["a", "b", "c"])).toBe("a, b and c");
  });
  test("plural with thousands separators", () => {
    expect(plural(1, "group")).toBe("1 group");
    expect(plural(1200, "row")).toBe("1,200 rows");
  });
});
