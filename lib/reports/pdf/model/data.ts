// The data section: rows and label balance, group sizes per sensitive attribute and
// intersection (with share, base rate and flags), rows in the unknown (missing) category,
// empty values per column, and groups excluded from the comparisons with the reason.

import type { Report } from "../../../report/types";
import { SMALL_GROUP_SIZE } from "../../../views/fairness";
import { fmtCount, fmtPercent, fmtPlain, fmtValue } from "../../../views/format";

export interface GroupSizeRow {
  group: string;
  n: string;
  share: string;
  baseRate: string;
  flags: string;
}

export interface AttributeSizes {
  attribute: string;
  intersection: boolean;
  rows: GroupSizeRow[];
  /** Rows whose value (or one of whose values, for an intersection) is missing. */
  unknown: number;
  unknownText: string;
}

export interface ColumnRow {
  name: string;
  role: string;
  type: string;
  missing: string;
  distinct: string;
  range: string;
}

export interface DataModel {
  facts: Array<{ label: string; value: string }>;
  attributes: AttributeSizes[];
  /** Why there are no group sizes (no fairness section). */
  noGroups: string | null;
  columns: ColumnRow[];
  missingText: string;
  excluded: Array<{ attribute: string; group: string; n: string; reason: string }>;
  excludedText: string;
  /** The report's warnings about the data itself (empty cells, unknown categories, missing or excluded groups). */
  warnings: string[];
}

/** Warning codes about the data (the rest are about rates and robustness; all are in section 8). */
export const DATA_WARNING_CODES: readonly string[] = ["missing_values", "unknown_categories", "unexpected_binary_values", "unknown_group", "group_excluded"];

function roleOf(report: Report, column: string): string {
  const roles: string[] = [];
  if (column === report.dataset.label.column) roles.push("label");
  if (report.spec.sensitive.includes(column)) roles.push("sensitive");
  if (report.model.features?.includes(column)) roles.push("model input");
  if (report.model.scoreColumn === column) roles.push("score");
  if (report.dataset.weight?.column === column) roles.push("weight");
  return roles.length ? roles.join(", ") : "not used";
}

/** A column's minimum or maximum: whole numbers with thousands separators, others as they are. */
function rangeEnd(v: number): string {
  return Number.isInteger(v) ? fmtCount(v) : fmtPlain(v);
}

export function dataModel(report: Report): DataModel {
  const d = report.dataset;
  const labelTotal = d.label.positives + d.label.negatives;
  const facts = [
    { label: "Rows", value: fmtCount(d.rows) },
    { label: "Columns", value: fmtCount(d.columns.length) },
    { label: "Label", value: `${d.label.column} (positive = "${d.label.positive}"${d.label.negative !== null ? `, negative = "${d.label.negative}"` : ""})` },
    {
      label: "Label balance",
      value: `${fmtCount(d.label.positives)} positive (${fmtPercent(labelTotal ? d.label.positives / labelTotal : null)}), ${fmtCount(d.label.negatives)} negative (${fmtPercent(labelTotal ? d.label.negatives / labelTotal : null)})`,
    },
    { label: "Sample weights", value: d.weight ? `column ${d.weight.column}, total ${fmtPlain(d.weight.total, 2)}` : "none (every row counts once)" },
    { label: "Sensitive attributes", value: report.spec.sensitive.join(", ") },
  ];
  const fair = report.sections.fairness;
  const attributes: AttributeSizes[] = (fair?.attributes ?? []).map((a) => {
    const unknown = a.groups.filter((g) => g.unknown).reduce((s, g) => s + g.n, 0);
    return {
      attribute: a.attribute,
      intersection: a.intersection,
      rows: a.groups.map((g) => {
        const flags: string[] = [];
        if (g.reference) flags.push("reference");
        if (g.unknown) flags.push("unknown (missing value)");
        if (g.small) flags.push(`small (n < ${SMALL_GROUP_SIZE})`);
        if (g.excluded) flags.push("excluded");
        return { group: g.group, n: fmtCount(g.n), share: fmtPercent(d.rows ? g.n / d.rows : null), baseRate: fmtValue(g.rates.base_rate?.value ?? null), flags: flags.join(", ") };
      }),
      unknown,
      unknownText: unknown === 0 ? `No rows with an unknown ${a.attribute}.` : `${fmtCount(unknown)} rows (${fmtPercent(unknown / d.rows)}) with an unknown (missing) ${a.intersection ? "value in one of its columns" : "value"}.`,
    };
  });
  const columns = d.columns.map((c) => ({
    name: c.name,
    role: roleOf(report, c.name),
    type: c.type,
    missing: c.missing === 0 ? "0" : `${fmtCount(c.missing)} (${fmtPercent(c.missing / d.rows)})`,
    distinct: fmtCount(c.distinct),
    range: c.min !== undefined && c.max !== undefined ? `${rangeEnd(c.min)} to ${rangeEnd(c.max)}` : "—",
  }));
  const withMissing = d.columns.filter((c) => c.missing > 0);
  const excluded = (fair?.attributes ?? []).flatMap((a) => a.excluded.map((x) => ({ attribute: a.attribute, group: x.group, n: fmtCount(x.n), reason: x.reason })));
  return {
    facts,
    attributes,
    noGroups: fair ? null : "Group sizes come from the fairness analysis, which was not run for this audit.",
    columns,
    missingText:
      withMissing.length === 0
        ? "No column has empty values."
        : `${withMissing.length} of ${d.columns.length} columns have empty values: ${withMissing.map((c) => `${c.name} (${fmtCount(c.missing)})`).join(", ")}. In a sensitive attribute they form their own group, "(missing)"; in a model input they are filled in before scoring (see the warnings in section 8).`,
    excluded,
    excludedText: !fair
      ? "No groups were excluded (the fairness analysis was not run)."
      : fair.minGroupSize > 0
        ? excluded.length === 0
          ? `The audit sets a minimum group size of ${fair.minGroupSize}; every group reaches it, so none is excluded.`
          : `The audit sets a minimum group size of ${fair.minGroupSize}. Smaller groups are still reported, but they are left out of the differences and ratios between groups:`
        : `The audit sets no minimum group size, so every group enters the comparisons; groups with fewer than ${SMALL_GROUP_SIZE} rows are flagged "small".`,
    warnings: report.warnings.filter((w) => DATA_WARNING_CODES.includes(w.code)).map((w) => w.message),
  };
}
