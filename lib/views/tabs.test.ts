import { DASHBOARD_TABS, nextTabIndex, tabFromHash } from "./tabs";

test("arrow keys wrap, Home and End jump, other keys do nothing", () => {
  expect(nextTabIndex(0, "ArrowRight", 5)).toBe(1);
  expect(nextTabIndex(4, "ArrowRight", 5)).toBe(0);
  expect(nextTabIndex(0, "ArrowLeft", 5)).toBe(4);
  expect(nextTabIndex(2, "Home", 5)).toBe(0);
  expect(nextTabIndex(2, "End", 5)).toBe(4);
  expect(nextTabIndex(2, "Enter", 5)).toBeNull();
  expect(nextTabIndex(2, "ArrowDown", 5)).toBeNull();
  expect(nextTabIndex(2, "ArrowDown", 5, "vertical")).toBe(3);
});

test("the hash selects a known tab only", () => {
  const ids = DASHBOARD_TABS.map((t) => t.id);
  expect(tabFromHash("#fairness", ids)).toBe("fairness");
  expect(tabFromHash("fairness", ids)).toBe("fairness");
  expect(tabFromHash("#nope", ids)).toBeNull();
  expect(tabFromHash("", ids)).toBeNull();
});
