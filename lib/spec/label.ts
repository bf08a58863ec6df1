// Which column is probably the label (the outcome) of a dataset: one named like a target (label,
// target, outcome, y, class, income, *_recid, …) among the two-valued columns, and never a
// sensitive attribute. No match: no default, and the user must choose.

/** Names that mean "the outcome". */
const TARGET = /^(label|target|outcome|y|class|result|income|default|churn|churned|approved|hired|fraud|is_fraud|bad|credit_risk|risk)$|_(recid|label|target|outcome|class)$|^(recid|two_year_recid)/i;

/** Names of typical sensitive attributes: never proposed as the label. */
const SENSITIVE = /^(sex|gender|race|ethnicity|age|age_cat|age_band|religion|nationality|native_country|marital_status|disability|foreign_worker)$/i;

/** The label column to propose, or "" when no two-valued column is named like a target. */
export function guessLabelColumn(binaryColumns: readonly string[], sensitive: readonly string[] = []): string {
  return binaryColumns.find((c) => TARGET.test(c) && !sensitive.includes(c) && !SENSITIVE.test(c)) ?? "";
}
