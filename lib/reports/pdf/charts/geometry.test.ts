import { barChartHeight, barDomain, barRowHeight, dotsPath, upperDomain, horizontalLinesPath, panelBox, tickLabel, verticalLinesPath, whiskerPath } from "./geometry";

describe("barDomain", () => {
  test("holds every bar and whisker, and 0", () => {
    expect(barDomain([{ value: 0.5, error: [0.1, 0.3] }, { value: 0.2 }])).toEqual([0, 0.8]);
    expect(barDomain([{ value: -0.02, error: [0.01, 0.01] }, { value: 0.1 }])).toEqual([-0.03, 0.1]);
  });
  test("the floor keeps rates on [0, 1] and null values are skipped", () => {
    expect(barDomain([{ value: 0.1 }, { value: null }], [0, 1])).toEqual([0, 1]);
    expect(barDomain([{ value: 1.1, error: [0, 0.2] }], [0, 1])[1]).toBeCloseTo(1.3, 12);
  });
  test("an all-zero or empty panel still has a width", () => {
    expect(barDomain([])).toEqual([0, 1]);
    expect(barDomain([{ value: 0 }])).toEqual([0, 1]);
  });
});

describe("panelBox", () => {
  test("panels share the width after the labels, with gaps", () => {
    // width 500, labels 100, 4 panels, gap 12: (500 − 100 − 36) / 4 = 91
    expect(panelBox(0, 4, 100, 500, 12)).toEqual({ x: 100, width: 91 });
    expect(panelBox(3, 4, 100, 500, 12)).toEqual({ x: 100 + 3 * 103, width: 91 });
  });
});

describe("paths and labels", () => {
  test("grid lines as one path", () => {
    expect(verticalLinesPath([10, 20.123], 0, 5)).toBe("M10 0V5M20.12 0V5");
    expect(horizontalLinesPath([3], 1, 9)).toBe("M1 3H9");
  });
  test("a whisker with caps", () => {
    expect(whiskerPath(10, 30, 50, 2)).toBe("M10 50H30M10 48V52M30 48V52");
  });
  test("tick labels and heights", () => {
    expect(tickLabel(0.25)).toBe("0.25");
    expect(tickLabel(1)).toBe("1");
    expect(barChartHeight(6, 14, 14, 16)).toBe(114);
  });
});

describe("barRowHeight", () => {
  test("14 pt until the chart would exceed the page, then smaller, never below 6 pt", () => {
    expect(barRowHeight(6)).toBe(14);
    expect(barRowHeight(40)).toBe(11);
    expect(barRowHeight(200)).toBe(6);
  });
});

describe("dotsPath", () => {
  test("one closed circle per point", () => {
    expect(dotsPath([[10, 20]], 2)).toBe("M8 20a2 2 0 1 0 4 0a2 2 0 1 0 -4 0Z");
    expect(dotsPath([], 2)).toBe("");
  });
});

describe("upperDomain", () => {
  test("largest value or the floor, with headroom; nulls ignored", () => {
    expect(upperDomain([0.05, null, 0.5], 0)).toBe(0.5);
    expect(upperDomain([0.01], 0.1, 1.1)).toBeCloseTo(0.11, 12);
    expect(upperDomain([], 0.5)).toBe(0.5);
  });
});
