import { fmtBytes, fmtCount, fmtDelta, fmtDuration, fmtEpsilon, fmtInterval, fmtPercent, fmtPlain, fmtRequirement, fmtValue } from "./format";

test("values and intervals follow lib/format", () => {
  expect(fmtValue(0.63626)).toBe("0.636");
  expect(fmtValue(null)).toBe("—");
  expect(fmtValue(NaN)).toBe("—");
  expect(fmtInterval([0.1, 0.25])).toBe("[0.100, 0.250]");
  expect(fmtInterval(null)).toBe("");
  expect(fmtCount(7214)).toBe("7,214");
  expect(fmtCount(null)).toBe("—");
});

test("deltas are signed with a real minus sign; rounding to zero prints 0", () => {
  expect(fmtDelta(0.0123)).toBe("+0.012");
  expect(fmtDelta(-0.0123)).toBe("\u22120.012");
  expect(fmtDelta(-0.0001)).toBe("0.000");
  expect(fmtDelta(null)).toBe("—");
});

test("plain numbers, budgets, percentages, durations, sizes, requirements", () => {
  expect(fmtPlain(0.5)).toBe("0.5");
  expect(fmtPlain(0.30000000000000004)).toBe("0.3");
  expect(fmtPlain(-0)).toBe("0");
  expect(fmtEpsilon(0.05)).toBe("ε = 0.05");
  expect(fmtPercent(0.4757)).toBe("47.6%");
  expect(fmtDuration(800)).toBe("800 ms");
  expect(fmtDuration(1661)).toBe("1.7 s");
  expect(fmtBytes(26580)).toBe("26.0 KiB");
  expect(fmtRequirement(0.8, undefined)).toBe("at least 0.8");
  expect(fmtRequirement(undefined, 0.2)).toBe("at most 0.2");
  expect(fmtRequirement(0.8, 1.25)).toBe("between 0.8 and 1.25");
});
