// Whether a change between two versions is better or worse, by the metric's direction
// (lib/vocabulary.ts: higher, lower, closer to 1 on a log scale, or none), which for the selection
// rate depends on what a positive decision means for the person.

import { DIRECTIONS, metricDirection, type Direction, type PositiveDecision } from "../vocabulary";

export { DIRECTIONS, metricDirection, type Direction };
export type Change = "better" | "worse" | "same" | "n/a";

/** Distance from 1 on a log scale; a non-positive value is infinitely far. */
function distanceFromOne(v: number): number {
  return v > 0 ? Math.abs(Math.log(v)) : Infinity;
}

/**
 * Whether `after` is better than `before` for metric `id`. "n/a" when either value is missing
 * or the metric has no direction; "same" when the change is within `tolerance`.
 */
export function compareValues(id: string, before: number | null | undefined, after: number | null | undefined, pd?: PositiveDecision, tolerance = 1e-12): Change {
  if (before === null || before === undefined || after === null || after === undefined || Number.isNaN(before) || Number.isNaN(after)) return "n/a";
  const dir = metricDirection(id, pd);
  if (dir === "none") return "n/a";
  if (dir === "closer-to-1") {
    const a = distanceFromOne(before);
    const b = distanceFromOne(after);
    if (a === b || Math.abs(a - b) <= tolerance || Math.abs(after - before) <= tolerance) return "same";
    return b < a ? "better" : "worse";
  }
  const d = after - before;
  if (Math.abs(d) <= tolerance) return "same";
  return (dir === "higher") === d > 0 ? "better" : "worse";
}
