// Confusion cells and the rates defined on them (METRICS.md §1–2). A rate whose denominator is
// 0 is null: it is never turned into 0 (Fairlearn does) nor 1. The rate ids live in
// lib/vocabulary.ts.

import { DISPARITY_RATE_IDS, RATE_IDS, type PositiveDecision, type RateId } from "../../vocabulary";

export { DISPARITY_RATE_IDS, RATE_IDS, type RateId };

/** Weighted (or counted) confusion cells. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Numerator and denominator of a rate; favorable_rate depends on what a positive decision means. */
export function rateParts(id: RateId, c: Confusion, pd: PositiveDecision = "benefit"): [number, number] {
  const total = c.tp + c.fp + c.tn + c.fn;
  switch (id) {
    case "base_rate":
      return [c.tp + c.fn, total];
    case "selection_rate":
      return [c.tp + c.fp, total];
    case "favorable_rate":
      return pd === "harm" ? [c.tn + c.fn, total] : [c.tp + c.fp, total];
    case "tpr":
      return [c.tp, c.tp + c.fn];
    case "fpr":
      return [c.fp, c.fp + c.tn];
    case "fnr":
      return [c.fn, c.tp + c.fn];
    case "tnr":
      return [c.tn, c.fp + c.tn];
    case "ppv":
      return [c.tp, c.tp + c.fp];
    case "npv":
      return [c.tn, c.tn + c.fn];
    case "accuracy":
      return [c.tp + c.tn, total];
  }
}

/** The rate, or null when its denominator is 0. */
export function rateOf(id: RateId, c: Confusion, pd: PositiveDecision = "benefit"): number | null {
  const [num, den] = rateParts(id, c, pd);
  return den > 0 ? num / den : null;
}

/** Adds row `i`'s weight to the cell given by its label and decision. */
export function cellIndex(y: number, decision: number): 0 | 1 | 2 | 3 {
  // 0 tp, 1 fp, 2 tn, 3 fn
  return y ? (decision ? 0 : 3) : decision ? 1 : 2;
}

export function confusionFromCells(cells: ArrayLike<number>, offset = 0): Confusion {
  return { tp: cells[offset]!, fp: cells[offset + 1]!, tn: cells[offset + 2]!, fn: cells[offset + 3]! };
}
