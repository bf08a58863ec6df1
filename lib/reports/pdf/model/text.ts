// Small text helpers for the PDF: policy bounds in symbols, where a check applies, file names
// from paths, line breaking of long unbroken tokens, and label fitting for chart axes. Pure.

import { fmtPlain } from "../../../views/format";
import { metricQualifier, type MetricAddress } from "../../../views/labels";

/** A policy bound: "≥ 0.8", "≤ 0.2", "between 0.8 and 1.25"; "no limit" without either end. */
export function boundText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${fmtPlain(min)} and ${fmtPlain(max)}`;
  if (min !== undefined) return `≥ ${fmtPlain(min)}`;
  if (max !== undefined) return `≤ ${fmtPlain(max)}`;
  return "no limit";
}

/** Where a metric applies ("gender: female", "feature age", "ε = 0.1"); "whole dataset" when nowhere in particular. */
export function appliesTo(a: Omit<MetricAddress, "id">): string {
  return metricQualifier(a) || "whole dataset";
}

/** The last segment of a path ("models/v1/" → "v1"); the path itself when it has none. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/**
 * Break points of one word for the PDF's line breaker (a hyphenation callback). Ordinary words
 * are never hyphenated; a token longer than `max` characters (a path, a long identifier) may
 * break after "/", "_", "." or "-", and anything still longer than `max` in fixed-size pieces,
 * so that nothing runs out of its table cell.
 */
export function breakPoints(word: string, max = 28): string[] {
  if (word.length <= max) return [word];
  const pieces = word.split(/(?<=[/_.\-=&,])/);
  const out: string[] = [];
  for (const p of pieces) {
    for (let i = 0; i < p.length; i += max) out.push(p.slice(i, i + max));
  }
  return out;
}

/** Rough width in points of `text` set in DejaVu Sans at `fontSize` (average advance ≈ 0.56 em). */
export function approxTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.56;
}

/** `text` cut to fit `width` points at `fontSize`, with an ellipsis when cut. */
export function fitLabel(text: string, width: number, fontSize: number): string {
  const max = Math.max(1, Math.floor(width / (fontSize * 0.56)));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** "1 group" / "3 groups". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
