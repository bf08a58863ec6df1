// Pure chart geometry shared by the PDF's charts: value domains that hold every bar and
// whisker, panel and row positions, and tick labels. No renderer, no d3 (testable in Jest).

import { fmtPlain } from "../../../views/format";

export interface BarValue {
  value: number | null;
  /** Whisker lengths below and above the value. */
  error?: [number, number] | null;
}

/**
 * Domain of a bar panel: always includes 0 (bars start there) and `floor` (e.g. 1 for rates
 * and ratios, so a panel of small values is not blown up), and every bar with its whiskers.
 */
export function barDomain(values: readonly BarValue[], floor: [number, number] = [0, 0]): [number, number] {
  let lo = Math.min(0, floor[0]);
  let hi = Math.max(0, floor[1]);
  for (const v of values) {
    if (v.value === null || !Number.isFinite(v.value)) continue;
    lo = Math.min(lo, v.value - (v.error?.[0] ?? 0));
    hi = Math.max(hi, v.value + (v.error?.[1] ?? 0));
  }
  if (hi === lo) hi = lo + 1;
  return [lo, hi];
}

/** Left edge and width of panel `i` of `n`, sharing `width` after `offset` with `gap` between panels. */
export function panelBox(i: number, n: number, offset: number, width: number, gap: number): { x: number; width: number } {
  const w = (width - offset - gap * (n - 1)) / n;
  return { x: offset + i * (w + gap), width: w };
}

/** A tick label: at most `digits` decimals, no trailing zeros ("0.25", "1"). */
export function tickLabel(v: number, digits = 3): string {
  return fmtPlain(v, digits);
}

/** Height of a horizontal bar chart with `rows` rows. */
export function barChartHeight(rows: number, rowHeight: number, top: number, bottom: number): number {
  return top + rows * rowHeight + bottom;
}

/** Round to 0.01 pt: path strings stay short and stable. */
function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** One SVG path for vertical lines at `xs` from y1 to y2 (grid lines, tick marks). */
export function verticalLinesPath(xs: readonly number[], y1: number, y2: number): string {
  return xs.map((x) => `M${r2(x)} ${r2(y1)}V${r2(y2)}`).join("");
}

/** One SVG path for horizontal lines at `ys` from x1 to x2. */
export function horizontalLinesPath(ys: readonly number[], x1: number, x2: number): string {
  return ys.map((y) => `M${r2(x1)} ${r2(y)}H${r2(x2)}`).join("");
}

/** An interval whisker from x1 to x2 at height y, with end caps of half-height `cap`. */
export function whiskerPath(x1: number, x2: number, y: number, cap: number): string {
  return `M${r2(x1)} ${r2(y)}H${r2(x2)}M${r2(x1)} ${r2(y - cap)}V${r2(y + cap)}M${r2(x2)} ${r2(y - cap)}V${r2(y + cap)}`;
}

/**
 * Row height of a horizontal bar chart with `rows` rows: 14 pt, less when that would make the
 * chart taller than `maxHeight` (it must fit on one page), never below 6 pt.
 */
export function barRowHeight(rows: number, maxHeight = 440): number {
  return Math.max(6, Math.min(14, maxHeight / Math.max(1, rows)));
}

/** Filled dots of radius r at the given points, as one SVG path (two half-circle arcs each). */
export function dotsPath(points: ReadonlyArray<readonly [number, number]>, r: number): string {
  return points.map(([x, y]) => `M${r2(x - r)} ${r2(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`).join("");
}

/** Upper end of a value axis starting at 0: the largest value (at least `floor`) with `pad` headroom. */
export function upperDomain(values: ReadonlyArray<number | null>, floor: number, pad = 1): number {
  let hi = floor;
  for (const v of values) if (v !== null && Number.isFinite(v)) hi = Math.max(hi, v);
  return hi * pad;
}
