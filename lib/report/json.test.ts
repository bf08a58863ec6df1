// reportJson against JSON.stringify as the oracle: the same value after JSON.parse, the same
// text for every number, and the layout rules on small literal cases.

import { createRng } from "../engine/random";
import { reportJson } from "./json";

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 4 ? 5 : 8));
  switch (k) {
    case 0:
      return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20); // doubles of every magnitude
    case 1:
      return Math.floor(r() * 1000) - 500;
    case 2:
      return ["", "a", 'quote " and \\ back', "line\nbreak", "ünïcødé ✓", "x".repeat(150)][Math.floor(r() * 6)];
    case 3:
      return [true, false, null, NaN, Infinity, -0][Math.floor(r() * 6)];
    case 4:
      return undefined;
    case 5:
    case 6:
      return Array.from({ length: Math.floor(r() * 12) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = Math.floor(r() * 8); i < n; i++) o[`k${i}${i % 3 === 0 ? ' "odd" key' : ""}`] = randomValue(r, depth + 1);
      return o;
    }
  }
}

describe("reportJson", () => {
  it("parses back to what JSON.stringify gives, for 2,000 random nested values", () => {
    const g = createRng(42);
    const r = () => g.next();
    for (let i = 0; i < 2000; i++) {
      const v = { value: randomValue(r, 0) };
      const ours = reportJson(v);
      expect(JSON.parse(ours)).toEqual(JSON.parse(JSON.stringify(v)));
    }
  });

  it("writes every number exactly as JSON.stringify does (no rounding)", () => {
    const nums = [0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, -0, 123456789.123456789, 2 ** 53 + 2];
    const text = reportJson({ nums, one: nums[0], nested: [{ x: nums[1] }] });
    expect(text).toContain(`[${nums.map((n) => JSON.stringify(n)).join(", ")}]`);
    expect(JSON.parse(text).nums.map((n: number) => Object.is(n, -0) ? 0 : n)).toEqual(nums.map((n) => (Object.is(n, -0) ? 0 : n)));
  });

  it("keeps short members and arrays of primitives on one line and indents the rest", () => {
    expect(reportJson({ a: [1, 2, 3], b: { c: "x" } })).toBe('{ "a": [1, 2, 3], "b": { "c": "x" } }');
    expect(reportJson([])).toBe("[]");
    expect(reportJson({})).toBe("{}");
    expect(reportJson({ u: undefined, f: () => 1, n: null, d: new Date("2026-12-01T00:00:00Z") })).toBe('{ "n": null, "d": "2026-12-01T00:00:00.000Z" }');
    const long = { name: "x".repeat(60), rows: [{ a: 1, b: 2 }, { a: 3, b: 4 }], values: Array.from({ length: 50 }, (_, i) => i / 7) };
    const lines = reportJson(long).split("\n");
    expect(lines[0]).toBe("{");
    expect(lines[1]).toBe(`  "name": "${"x".repeat(60)}",`);
    expect(lines[2]).toBe('  "rows": [{ "a": 1, "b": 2 }, { "a": 3, "b": 4 }],');
    expect(lines[3]).toBe(`  "values": [${long.values.map((v) => JSON.stringify(v)).join(", ")}]`);
    expect(lines[4]).toBe("}");
    // a member too wide for one line is indented by two spaces per level
    const wide = reportJson({ outer: { inner: { text: "y".repeat(120) } } });
    expect(wide).toBe(`{\n  "outer": {\n    "inner": {\n      "text": "${"y".repeat(120)}"\n    }\n  }\n}`);
  });
});
