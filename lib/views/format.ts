// Number formatting for the report views: a thin layer over lib/format (shared with the CLI and
// the PDF) that adds signed deltas, budgets (ε), thresholds, durations and null reasons.

import { formatCount, formatDate, formatInterval, formatNumber } from "../format";

export const DASH = "—";

/** A metric value with three decimals (lib/format); null, undefined and NaN print as "—". */
export function fmtValue(v: number | null | undefined, digits = 3): string {
  return formatNumber(v, digits);
}

/** A confidence interval "[lo, hi]"; empty when there is none. */
export function fmtInterval(ci: readonly [number, number] | null | undefined, digits = 3): string {
  return formatInterval(ci ? [ci[0], ci[1]] : null, digits);
}

export function fmtCount(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? DASH : formatCount(v);
}

/** Signed difference: "+0.012", "−0.012" (minus sign), "0.000" when it rounds to zero; null → "—". */
export function fmtDelta(d: number | null | undefined, digits = 3): string {
  if (d === null || d === undefined || Number.isNaN(d)) return DASH;
  const s = Math.abs(d).toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return `${d > 0 ? "+" : "\u2212"}${s}`;
}

/** A number with at most `digits` decimals and no trailing zeros: thresholds, ε, σ (0.5, 0.05, 5). */
export function fmtPlain(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  const r = Number(v.toFixed(digits));
  return Object.is(r, -0) ? "0" : String(r);
}

export function fmtEpsilon(e: number): string {
  return `ε = ${fmtPlain(e)}`;
}

/** Share as a percentage with one decimal: 0.4757 → "47.6%". */
export function fmtPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  return `${(v * 100).toFixed(digits)}%`;
}

export function fmtDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

/** The requirement of a policy check in words: "at least 0.8", "at most 0.2", "between 0.8 and 1.25". */
export function fmtRequirement(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${fmtPlain(min)} and ${fmtPlain(max)}`;
  if (min !== undefined) return `at least ${fmtPlain(min)}`;
  if (max !== undefined) return `at most ${fmtPlain(max)}`;
  return "no limit";
}

/** A timestamp as "2025-01-31 14:05 UTC" (lib/format). */
export function fmtDate(d: string | Date): string {
  return formatDate(d);
}
