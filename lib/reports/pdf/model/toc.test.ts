import { tocComplete } from "./toc";

describe("tocComplete", () => {
  const ids = ["summary", "data"];
  test("complete when every section was printed with the page its heading recorded", () => {
    expect(tocComplete(ids, { marks: new Map([["summary", 3], ["data", 5]]), seen: new Map([["summary", 3], ["data", 5]]) })).toBe(true);
  });
  test("incomplete when a heading recorded no page, the contents printed a blank or a different page", () => {
    expect(tocComplete(ids, { marks: new Map([["summary", 3]]), seen: new Map([["summary", 3], ["data", undefined]]) })).toBe(false);
    expect(tocComplete(ids, { marks: new Map([["summary", 3], ["data", 5]]), seen: new Map([["summary", 3], ["data", undefined]]) })).toBe(false);
    expect(tocComplete(ids, { marks: new Map([["summary", 3], ["data", 6]]), seen: new Map([["summary", 3], ["data", 5]]) })).toBe(false);
    expect(tocComplete(ids, { marks: new Map([["summary", 3], ["data", 5]]), seen: new Map([["summary", 3]]) })).toBe(false);
  });
  test("an empty contents is complete", () => {
    expect(tocComplete([], { marks: new Map(), seen: new Map() })).toBe(true);
  });
});
