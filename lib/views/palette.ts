// Colours for the report views and the PDF: Okabe–Ito (colour-blind safe) for groups, extended
// with Paul Tol's muted set beyond eight groups; status colours (pass/fail/warn) as a mark colour,
// a text colour with WCAG AA contrast (≥ 4.5:1 on white and on its own background) and a light
// background; viridis for the heat map; blue → vermillion for "low → high" and "down → up".
// Colour never carries meaning alone: every view also prints the status or value as text.

export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/**
 * One colour per group, by the group's position in its attribute (the report's group order):
 * Okabe–Ito first, without black (it hides interval whiskers) and yellow (too light on white),
 * then Paul Tol's muted set, then black and yellow for very large attributes.
 */
export const GROUP_COLORS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  // Paul Tol, muted
  "#882255",
  "#44AA99",
  "#999933",
  "#332288",
  "#AA4499",
  "#117733",
  "#88CCEE",
  "#DDCC77",
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

export function groupColor(index: number): string {
  const n = GROUP_COLORS.length;
  return GROUP_COLORS[((index % n) + n) % n]!;
}

/** Group name → colour, by position in `groups` (pass the attribute's groups in report order). */
export function groupColorMap(groups: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  groups.forEach((g, i) => (out[g] = groupColor(i)));
  return out;
}

export type Status = "pass" | "fail" | "warn" | "neutral" | "info";

export interface StatusColor {
  /** Marks in charts (bars, dots, lines). */
  fill: string;
  /** Text on white or on `background` (contrast ≥ 4.5:1). */
  text: string;
  background: string;
}

export const STATUS_COLORS: Readonly<Record<Status, StatusColor>> = {
  pass: { fill: OKABE_ITO.bluishGreen, text: "#00694D", background: "#DDF3EC" },
  fail: { fill: OKABE_ITO.vermillion, text: "#A33F00", background: "#FBE3D3" },
  warn: { fill: OKABE_ITO.orange, text: "#7A5000", background: "#FFF1CC" },
  neutral: { fill: "#8A94A0", text: "#4B5563", background: "#EEF1F5" },
  info: { fill: OKABE_ITO.blue, text: "#005A8C", background: "#E1EEF7" },
};

/** Comparison outcome → status colour: better is "pass", worse is "fail". */
export const CHANGE_STATUS: Readonly<Record<"better" | "worse" | "same" | "n/a", Status>> = {
  better: "pass",
  worse: "fail",
  same: "neutral",
  "n/a": "neutral",
};

/** Reference lines and bands in charts (thresholds such as 0.8, the Aequitas band). */
export const GUIDE_COLOR = "#4B5563";
export const BAND_COLOR = "#DDF3EC";
/** Missing or unavailable values (e.g. a categorical value in the beeswarm with no rank). */
export const MISSING_COLOR = "#BBBBBB";
/** Waterfall: contributions that raise the output and ones that lower it. */
export const RAISES_COLOR = OKABE_ITO.vermillion;
export const LOWERS_COLOR = OKABE_ITO.blue;

/** Viridis (perceptually uniform, colour-blind safe), 9 stops. */
export const VIRIDIS: readonly string[] = ["#440154", "#472D7B", "#3B528B", "#2C728E", "#21918C", "#28AE80", "#5EC962", "#ADDC30", "#FDE725"];

/** Low → high for feature values (beeswarm): blue → reddish purple → vermillion. */
export const LOW_HIGH: readonly string[] = [OKABE_ITO.blue, OKABE_ITO.reddishPurple, OKABE_ITO.vermillion];

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`Expected a colour like #1a2b3c, got "${hex}"`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex([r, g, b]: readonly [number, number, number]): string {
  const h = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0");
  return `#${h(r)}${h(g)}${h(b)}`.toUpperCase();
}

/** Piecewise-linear interpolation (in sRGB) between equally spaced stops; t is clamped to [0, 1]. */
export function interpolateStops(stops: readonly string[], t: number): string {
  if (stops.length === 0) throw new Error("interpolateStops: expected at least one stop");
  if (stops.length === 1 || Number.isNaN(t)) return stops[0]!.toUpperCase();
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hexToRgb(stops[i]!);
  const b = hexToRgb(stops[i + 1]!);
  return rgbToHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

export function sequentialColor(t: number): string {
  return interpolateStops(VIRIDIS, t);
}

export function lowHighColor(t: number | null): string {
  return t === null ? MISSING_COLOR : interpolateStops(LOW_HIGH, t);
}

/** WCAG relative luminance of an sRGB colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on `background` (labels inside heat-map cells). */
export function textColorOn(background: string): "#000000" | "#FFFFFF" {
  return contrastRatio(background, "#000000") >= contrastRatio(background, "#FFFFFF") ? "#000000" : "#FFFFFF";
}
