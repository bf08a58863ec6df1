// Names of metric addresses and groups for people: "Impact ratio · gender = female",
// "Flip rate · ε = 0.1", and the short form of an intersection group ("female & hispanic").

import { glossaryEntry } from "../report/glossary";
import { fmtEpsilon } from "./format";
import type { MetricAddress } from "../vocabulary";

/** The metric address lives in lib/vocabulary.ts; re-exported for the views that import it from here. */
export type { MetricAddress };

/** Where a metric applies: "gender = female", "race", "feature education", "ε = 0.1"; empty for whole-data metrics. */
export function metricQualifier(a: Omit<MetricAddress, "id">): string {
  const parts: string[] = [];
  if (a.attribute !== undefined) parts.push(a.group !== undefined ? `${a.attribute}: ${a.group}` : a.attribute);
  else if (a.group !== undefined) parts.push(a.group);
  if (a.feature !== undefined) parts.push(`feature ${a.feature}`);
  if (a.epsilon !== undefined) parts.push(fmtEpsilon(a.epsilon));
  return parts.join(" · ");
}

/** Label and qualifier: "Impact ratio · gender: female". */
export function metricTitle(a: MetricAddress): string {
  const q = metricQualifier(a);
  return q ? `${glossaryEntry(a.id).label} · ${q}` : glossaryEntry(a.id).label;
}

/** Values of an intersection group "A=a & B=b" given its columns [A, B]; null when the name does not parse. */
export function parseIntersection(name: string, columns: readonly string[]): string[] | null {
  let rest = name;
  const values: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const prefix = `${columns[i]}=`;
    if (!rest.startsWith(prefix)) return null;
    rest = rest.slice(prefix.length);
    if (i === columns.length - 1) {
      values.push(rest);
      break;
    }
    const sep = ` & ${columns[i + 1]}=`;
    const at = rest.indexOf(sep);
    if (at < 0) return null;
    values.push(rest.slice(0, at));
    rest = rest.slice(at + 3);
  }
  return values.length === columns.length ? values : null;
}

/** Short group name for chart axes: the values of an intersection joined by " & ", else the group itself. */
export function shortGroupName(name: string, columns: readonly string[]): string {
  if (columns.length < 2) return name;
  return parseIntersection(name, columns)?.join(" & ") ?? name;
}
