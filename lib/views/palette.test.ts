import { contrastRatio, groupColor, groupColorMap, GROUP_COLORS, hexToRgb, interpolateStops, lowHighColor, MISSING_COLOR, OKABE_ITO, rgbToHex, sequentialColor, STATUS_COLORS, textColorOn, VIRIDIS } from "./palette";

test("groups get Okabe–Ito colours first, distinct, cycling after the list", () => {
  const { black, yellow, ...rest } = OKABE_ITO;
  expect(GROUP_COLORS.slice(0, 6).sort()).toEqual(Object.values(rest).sort());
  expect(GROUP_COLORS.slice(-2)).toEqual([black, yellow]);
  expect(new Set(GROUP_COLORS).size).toBe(GROUP_COLORS.length);
  expect(groupColor(0)).toBe(OKABE_ITO.blue);
  expect(groupColor(GROUP_COLORS.length)).toBe(groupColor(0));
  expect(groupColorMap(["female", "male"])).toEqual({ female: GROUP_COLORS[0], male: GROUP_COLORS[1] });
});

test("status text colours meet WCAG AA (4.5:1) on white and on their background", () => {
  for (const c of Object.values(STATUS_COLORS)) {
    expect(contrastRatio(c.text, "#FFFFFF")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(c.text, c.background)).toBeGreaterThanOrEqual(4.5);
  }
});

test("contrast ratio: black on white is 21, equal colours 1", () => {
  expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 10);
  expect(contrastRatio("#777777", "#777777")).toBe(1);
});

test("interpolation between stops", () => {
  expect(interpolateStops(["#000000", "#FFFFFF"], 0.5)).toBe("#808080");
  expect(interpolateStops(["#000000", "#FF0000", "#FFFFFF"], 0.75)).toBe("#FF8080");
  expect(interpolateStops(["#000000", "#FFFFFF"], -1)).toBe("#000000");
  expect(interpolateStops(["#000000", "#FFFFFF"], 2)).toBe("#FFFFFF");
  expect(sequentialColor(0)).toBe(VIRIDIS[0]);
  expect(sequentialColor(1)).toBe(VIRIDIS[VIRIDIS.length - 1]);
  expect(lowHighColor(null)).toBe(MISSING_COLOR);
  expect(lowHighColor(0)).toBe(OKABE_ITO.blue);
});

test("hex round trip and validation", () => {
  expect(hexToRgb("#0072B2")).toEqual([0, 114, 178]);
  expect(rgbToHex([0, 114, 178])).toBe("#0072B2");
  expect(() => hexToRgb("blue")).toThrow(/Expected a colour/);
});

test("labels on heat-map cells pick the more readable of black and white", () => {
  expect(textColorOn(VIRIDIS[0]!)).toBe("#FFFFFF");
  expect(textColorOn(VIRIDIS[VIRIDIS.length - 1]!)).toBe("#000000");
});
