// Section 5: fairness. First the impact-ratio summary in the layout of a NYC Local Law 144
// bias audit (every attribute and intersection, with the unknown category), then per attribute
// and intersection, each on its own page: the reference group, small multiples of selection
// rate, impact ratio, true and false positive rate per group, the group tables with intervals,
// the disparities against the reference group and the differences and ratios between groups.

import { BarPanels, type BarPanel } from "../charts/bar-panels";
import { barDomain, barRowHeight } from "../charts/geometry";
import type { Kit } from "../kit";
import { isNotRun, type PdfModel } from "../model/document-model";
import { COLOR, CONTENT_WIDTH, SIZE } from "../theme";
import { fmtPlain } from "../../../views/format";
import { FOUR_FIFTHS, SMALL_GROUP_SIZE, type AttributeView, type RateChart } from "../../../views/fairness";
import { Figure, H3, Note, NotRunNote, P, PageFrame, SectionTitle, SubTitle, Table, type Cell } from "./primitives";

/** Column titles short enough for narrow columns. */
const SHORT_LABELS: Record<string, string> = {
  base_rate: "Base rate",
  selection_rate: "Selection rate",
  tpr: "True pos. rate",
  fpr: "False pos. rate",
  fnr: "False neg. rate",
  tnr: "True neg. rate",
  ppv: "Precision (PPV)",
  npv: "Neg. pred. value",
  accuracy: "Accuracy",
};

/** Rates in the group table. FNR = 1 − TPR and TNR = 1 − FPR are not repeated; they, NPV and every disparity are in the disparity table. */
const TABLE_RATES = ["base_rate", "selection_rate", "tpr", "fpr", "ppv", "accuracy"];

function ratePanel(chart: RateChart, title: string): BarPanel {
  return {
    title,
    domain: barDomain(chart.bars, [0, 1]),
    bars: chart.bars.map((b) => ({ value: b.value, error: b.error, color: b.color })),
    band: chart.band,
    refLines: chart.reference ? [{ x: chart.reference.value, color: COLOR.guide }] : [],
  };
}

function AttributeBlock({ kit, a, index, tau, level }: { kit: Kit; a: AttributeView; index: number; tau: number; level: string }) {
  const { View } = kit.pdf;
  const chart = (id: string) => a.charts.find((c) => c.rate === id);
  const sel = chart("selection_rate");
  const tpr = chart("tpr");
  const fpr = chart("fpr");
  const panels: BarPanel[] = [];
  if (sel) panels.push(ratePanel(sel, "Selection rate"));
  panels.push({
    title: "Impact ratio",
    domain: barDomain(a.impact.bars, [0, 1]),
    bars: a.impact.bars.map((b) => ({ value: b.value, error: b.error, color: b.excluded || b.status === "none" ? COLOR.neutral.fill : b.status === "fail" ? COLOR.fail.fill : COLOR.pass.fill })),
    refLines: [{ x: a.impact.threshold, color: COLOR.fail.text }],
  });
  if (tpr) panels.push(ratePanel(tpr, "True positive rate"));
  if (fpr) panels.push(ratePanel(fpr, "False positive rate"));
  const rateCol = (id: string) => a.table.rates.findIndex((r) => r.id === id);
  const groupCell = (r: (typeof a.table.rows)[number]): Cell => ({ text: r.meta.group, bold: r.meta.reference, ...(r.meta.flags.length ? { sub: r.meta.flags.join(", ") } : {}) });
  const valueCell = (r: (typeof a.table.rows)[number], id: string): Cell => {
    const v = r.cells[rateCol(id)];
    if (!v) return "—";
    return v.value === null ? { text: "—", sub: v.reason ?? "", color: COLOR.faint } : { text: v.text, ...(v.ci ? { sub: v.ci } : {}) };
  };
  const label = (id: string) => SHORT_LABELS[id] ?? a.table.rates.find((r) => r.id === id)?.label ?? id;
  return (
    <View>
      <SubTitle kit={kit} id={`fairness-attr-${index}`} number={`5.${index + 2}`} title={`${a.intersection ? "Intersection" : "Attribute"}: ${a.attribute}`} />
      <P kit={kit}>{`${a.referenceText} ${a.groups.length} groups.${a.smallGroups.length ? ` Small groups (n < ${SMALL_GROUP_SIZE}): ${a.smallGroups.join(", ")}.` : ""}`}</P>
      <Figure
        kit={kit}
        title={`Rates by group: ${a.attribute}`}
        caption={`Bars: the group's value; whiskers: ${level} interval. Selection, true and false positive rate: the dashed line marks the reference group and the shaded band the values whose disparity passes (τ = ${fmtPlain(tau)}). Impact ratio: the dashed line marks ${fmtPlain(FOUR_FIFTHS)}; bars below it are drawn in vermillion, others in green${a.excluded.length ? ", groups excluded from the comparisons in grey" : ""}.`}
      >
        <BarPanels kit={kit} labels={a.groups.map((g) => g.short)} panels={panels} width={CONTENT_WIDTH} labelWidth={a.intersection ? 118 : 96} rowHeight={barRowHeight(a.groups.length)} />
      </Figure>

      <Table
        kit={kit}
        size={SIZE.table - 0.2}
        columns={[{ title: "Group", flex: 1 }, { title: "n", width: 34, align: "right" }, ...TABLE_RATES.map((id) => ({ title: label(id), width: 57, align: "right" as const }))]}
        rows={a.table.rows.map((r) => [groupCell(r), { text: r.meta.nText, bold: true }, ...TABLE_RATES.map((id) => valueCell(r, id))])}
        rowKeys={a.table.rows.map((r) => r.meta.group)}
      />
      <P kit={kit} small muted>
        {`Second line under each rate: its ${level} bootstrap interval. A rate shown as — is undefined because its denominator is zero; it is left out of every comparison. The false negative rate is 1 − true positive rate and the true negative rate is 1 − false positive rate; these and the negative predictive value are compared between groups in the next table.`}
      </P>

      <H3 kit={kit}>{`Disparities against the reference group (${a.disparity.bandText} passes)`}</H3>
      <Table
        kit={kit}
        size={SIZE.table - 0.4}
        columns={[{ title: "Group", flex: 1 }, ...a.disparity.rates.map((r) => ({ title: label(r.id), width: 45, align: "right" as const }))]}
        rows={a.disparity.rows.map((r) => [
          { text: r.meta.group, bold: r.meta.reference, ...(r.meta.reference ? { sub: "reference" } : {}) },
          ...r.cells.map((c): Cell => (c.status === "fail" ? { text: `${c.text} ✗`, color: COLOR.fail.text, bold: true } : c.status === "none" ? { text: c.text, color: COLOR.faint } : c.text)),
        ])}
        rowKeys={a.disparity.rows.map((r) => r.meta.group)}
      />
      <P kit={kit} small muted>
        {`Each value is the group's rate divided by the reference group's; ✗ marks values outside ${a.disparity.bandText} (the Aequitas rule with τ = ${fmtPlain(a.disparity.tau)}). — means undefined (a zero or undefined rate).`}
      </P>

      <H3 kit={kit}>Differences and ratios between groups</H3>
      <Table
        kit={kit}
        columns={[
          { title: "Metric", flex: 1 },
          { title: "Value", width: 48, align: "right" },
          { title: `${level} interval`, width: 86, align: "right" },
          { title: "Groups compared", width: 70, align: "right" },
        ]}
        rows={a.aggregates.map((g) => [{ text: g.label, sub: g.id }, { text: g.value, bold: true }, g.ci || (g.reason ? "—" : ""), g.groups])}
        rowKeys={a.aggregates.map((g) => g.id)}
      />
      {a.excluded.length > 0 ? (
        <Note kit={kit} tone="warn" title="Excluded from the comparisons">
          {a.excluded.map((x) => `${x.group} (n = ${x.n}): ${x.reason}`).join("; ")}
        </Note>
      ) : null}
    </View>
  );
}

export function FairnessSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const f = model.fairness;
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="fairness" number="5" title="Fairness" />
        {isNotRun(f) ? (
          <NotRunNote kit={kit} text={f.notRun} />
        ) : (
          <View>
            <P kit={kit}>{`${f.view.intervals} ${f.view.minGroupSize} Disparities use the Aequitas rule with τ = ${fmtPlain(f.view.tau)}.`}</P>
            <SubTitle kit={kit} id="fairness-ll144" number="5.1" title="Impact ratio summary (NYC Local Law 144 layout)" />
            <P kit={kit} small muted>
              {f.ll144.intro}
            </P>
            {f.ll144.tables.map((t) => (
              <View key={t.attribute} style={{ marginBottom: 4 }}>
                <Text minPresenceAhead={50} style={{ fontSize: SIZE.table + 0.6, fontWeight: "bold", color: COLOR.text, marginBottom: 3, marginTop: 4 }}>
                  {t.intersection ? "Intersectional categories" : "Categories"}: {t.attribute}
                </Text>
                <Table
                  kit={kit}
                  columns={[
                    { title: "Category", flex: 1 },
                    { title: "Number of individuals", width: 78, align: "right" },
                    { title: f.ll144.rateLabel, width: 66, align: "right" },
                    { title: "Impact ratio", width: 60, align: "right" },
                    { title: "Notes", width: 112 },
                  ]}
                  rows={t.rows.map((r) => [
                    r.category,
                    { text: r.n, bold: true },
                    r.rate,
                    { text: r.below ? `${r.impactRatio} ✗` : r.impactRatio, bold: true, color: r.below ? COLOR.fail.text : COLOR.text },
                    { text: r.notes, color: COLOR.muted },
                  ])}
                  rowKeys={t.rows.map((r) => r.category)}
                />
                <Text style={{ fontSize: SIZE.small, fontWeight: "bold", color: t.unknown > 0 ? COLOR.warn.text : COLOR.muted, marginTop: -4, marginBottom: 6 }}>{t.unknownText}</Text>
              </View>
            ))}
            <P kit={kit} small muted>
              {`✗ marks impact ratios below ${fmtPlain(FOUR_FIFTHS)}.`}
            </P>
          </View>
        )}
      </PageFrame>
      {isNotRun(f)
        ? null
        : f.view.attributes.map((a, i) => (
            <PageFrame key={a.attribute} kit={kit} header={model.header}>
              <AttributeBlock kit={kit} a={a} index={i} tau={f.view.tau} level={f.view.level} />
            </PageFrame>
          ))}
    </>
  );
}
