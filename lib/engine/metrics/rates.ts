// Confusion cells and the rates defined on them (METRICS.md §1–2). A rate whose denominator is
// 0 is null: it is never turned into 0 (Fairlearn does) nor 1.

/** Weighted (or counted) confusion cells. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export const RATE_IDS = ["base_rate", "selection_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"] as const;
export type RateId = (typeof RATE_IDS)[number];

/** Rates compared against a reference group (Aequitas disparities). */
export const DISPARITY_RATE_IDS = ["selection_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"] as const satisfies readonly RateId[];

/** Numerator and denominator of a rate. */
export function rateParts(id: RateId, c: Confusion): [number, number] {
  const total = c.tp + c.fp + c.tn + c.fn;
  switch (id) {
    case "base_rate":
      return [c.tp + c.fn, total];
    case "selection_rate":
      return [c.tp + c.fp, total];
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
export function rateOf(id: RateId, c: Confusion): number | null {
  const [num, den] = rateParts(id, c);
  return den > 0 ? num / den : null;
}

/** Human-readable meaning of each rate, shown next to numbers in the CLI, the app and the PDF. */
export const RATE_LABELS: Record<RateId, string> = {
  base_rate: "Base rate P(y=1)",
  selection_rate: "Selection rate P(ŷ=1)",
  tpr: "True positive rate",
  fpr: "False positive rate",
  fnr: "False negative rate",
  tnr: "True negative rate",
  ppv: "Precision (PPV)",
  npv: "Negative predictive value",
  accuracy: "Accuracy",
};

/** Adds row `i`'s weight to the cell given by its label and decision. */
export function cellIndex(y: number, decision: number): 0 | 1 | 2 | 3 {
  // 0 tp, 1 fp, 2 tn, 3 fn
  return y ? (decision ? 0 : 3) : decision ? 1 : 2;
}

export function confusionFromCells(cells: ArrayLike<number>, offset = 0): Confusion {
  return { tp: cells[offset]!, fp: cells[offset + 1]!, tn: cells[offset + 2]!, fn: cells[offset + 3]! };
}
