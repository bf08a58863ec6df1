import { metricQualifier, metricTitle, parseIntersection, shortGroupName } from "./labels";

test("metric titles and qualifiers", () => {
  expect(metricTitle({ id: "impact_ratio", attribute: "gender", group: "female" })).toBe("Impact ratio · gender: female");
  expect(metricTitle({ id: "flip_rate", epsilon: 0.1 })).toBe("Flip rate · ε = 0.1");
  expect(metricTitle({ id: "roc_auc" })).toBe("ROC AUC");
  expect(metricQualifier({ feature: "age" })).toBe("feature age");
  expect(metricQualifier({ attribute: "race", group: "white", epsilon: 0.5 })).toBe("race: white · ε = 0.5");
});

test("intersection names parse by their columns, even when values contain the separators", () => {
  expect(parseIntersection("gender=female & race=hispanic", ["gender", "race"])).toEqual(["female", "hispanic"]);
  expect(parseIntersection("a=x & y & b=1=2", ["a", "b"])).toEqual(["x & y", "1=2"]);
  expect(parseIntersection("a=1 & b=2 & c=3", ["a", "b", "c"])).toEqual(["1", "2", "3"]);
  expect(parseIntersection("female", ["gender", "race"])).toBeNull();
  expect(shortGroupName("gender=female & race=hispanic", ["gender", "race"])).toBe("female & hispanic");
  expect(shortGroupName("female", ["gender"])).toBe("female");
});
