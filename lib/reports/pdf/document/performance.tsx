// Section 4: performance with confidence intervals, the ROC curve with the audit's operating
// point and, for probability scores, the calibration curve; then the confusion matrix and the
// calibration bins.

import { XYChart } from "../charts/xy-chart";
import type { Kit } from "../kit";
import { isNotRun, type PdfModel, type PerformanceModel } from "../model/document-model";
import { COLOR, CONTENT_WIDTH, SIZE } from "../theme";
import { OKABE_ITO } from "../../../views/palette";
import { Figure, H3, Legend, NotRunNote, P, PageFrame, SectionTitle, Table } from "./primitives";

const UNIT: [number, number] = [0, 1];
const UNIT_TICKS = [0, 0.25, 0.5, 0.75, 1];
const HALF = (CONTENT_WIDTH - 16) / 2;

function Charts({ kit, perf }: { kit: Kit; perf: PerformanceModel }) {
  const { View } = kit.pdf;
  return (
    <View wrap={false}>
      <H3 kit={kit}>ROC curve and calibration</H3>
      <View style={{ flexDirection: "row", justifyContent: "space-between" }}>
        <View style={{ width: HALF }}>
          <Figure kit={kit} title={`ROC curve (area ${perf.roc.auc})`} caption={perf.roc.operating ? perf.roc.operating.label : "No operating point: one of the outcome classes is missing."}>
            <XYChart
              kit={kit}
              width={HALF}
              height={HALF * 0.8}
              x={{ domain: UNIT, label: "False positive rate", ticks: UNIT_TICKS }}
              y={{ domain: UNIT, label: "True positive rate", ticks: UNIT_TICKS }}
              diagonal
              series={[{ name: "ROC", color: OKABE_ITO.blue, points: perf.roc.points.map((p) => ({ x: p.fpr, y: p.tpr })), width: 1.5 }]}
              dots={perf.roc.operating ? [{ x: perf.roc.operating.fpr, y: perf.roc.operating.tpr, color: OKABE_ITO.orange, r: 3.4 }] : []}
            />
            <Legend
              kit={kit}
              items={[
                { label: "ROC curve", color: OKABE_ITO.blue, shape: "line" },
                { label: "chance (diagonal)", color: COLOR.guide, shape: "line", dashed: true },
                { label: "audit threshold", color: OKABE_ITO.orange, shape: "dot" },
              ]}
            />
          </Figure>
        </View>
        <View style={{ width: HALF }}>
          {perf.calibration ? (
            <Figure kit={kit} title="Calibration (10 score bins)" caption={perf.calibrationNote}>
              <XYChart
                kit={kit}
                width={HALF}
                height={HALF * 0.8}
                x={{ domain: UNIT, label: "Mean predicted probability", ticks: UNIT_TICKS }}
                y={{ domain: UNIT, label: "Observed positive rate", ticks: UNIT_TICKS }}
                diagonal
                series={[{ name: "calibration", color: OKABE_ITO.vermillion, points: perf.calibration.map((c) => ({ x: c.meanScore, y: c.observedRate })), markers: true }]}
              />
              <Legend
                kit={kit}
                items={[
                  { label: "observed rate per bin", color: OKABE_ITO.vermillion, shape: "line" },
                  { label: "perfect calibration", color: COLOR.guide, shape: "line", dashed: true },
                ]}
              />
            </Figure>
          ) : (
            <Figure kit={kit} title="Calibration">
              <NotRunNote kit={kit} title="Not available" text={perf.calibrationNote} />
            </Figure>
          )}
        </View>
      </View>
    </View>
  );
}

function Confusion({ kit, perf }: { kit: Kit; perf: PerformanceModel }) {
  const { View, Text } = kit.pdf;
  return (
    <View wrap={false}>
      <H3 kit={kit}>Confusion matrix</H3>
      <P kit={kit} small muted>
        {`Counts of rows by actual outcome (${perf.confusion.positive} is positive) and decision; ${perf.confusion.total} rows in all.`}
      </P>
      <View style={{ flexDirection: "row", marginBottom: 3 }}>
        <View style={{ width: 150 }} />
        <Text style={{ width: 160, fontSize: SIZE.table, fontWeight: "bold", textAlign: "center" }}>Selected</Text>
        <Text style={{ width: 160, fontSize: SIZE.table, fontWeight: "bold", textAlign: "center" }}>Not selected</Text>
      </View>
      {perf.confusion.rows.map((row) => (
        <View key={row.actual} style={{ flexDirection: "row", marginBottom: 3 }}>
          <Text style={{ width: 150, fontSize: SIZE.table, fontWeight: "bold", paddingRight: 6, paddingTop: 5 }}>{row.actual}</Text>
          {row.cells.map((c) => (
            <View key={c.key} style={{ width: 156, marginRight: 4, padding: 5, backgroundColor: c.correct ? COLOR.pass.background : COLOR.fail.background, borderLeft: `2pt solid ${c.correct ? COLOR.pass.fill : COLOR.fail.fill}` }}>
              <Text style={{ fontSize: SIZE.table, fontWeight: "bold", color: COLOR.ink }}>{`${c.name}: ${c.count} (${c.share})`}</Text>
              <Text style={{ fontSize: SIZE.tiny, color: COLOR.muted, marginTop: 1 }}>{c.meaning}</Text>
            </View>
          ))}
        </View>
      ))}
    </View>
  );
}

export function PerformanceSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const perf = model.performance;
  return (
    <PageFrame kit={kit} header={model.header}>
      <SectionTitle kit={kit} id="performance" number="4" title="Performance" />
      {isNotRun(perf) ? (
        <NotRunNote kit={kit} text={perf.notRun} />
      ) : (
        <View>
          <P kit={kit}>{perf.note}</P>
          <Table
            kit={kit}
            size={SIZE.table - 0.2}
            columns={[
              { title: "Metric", width: 110 },
              { title: "Value", width: 44, align: "right" },
              { title: `${perf.level} interval`, width: 82, align: "right" },
              { title: "What it means", flex: 1 },
            ]}
            rows={perf.rows.map((r) => [{ text: r.label, bold: true }, { text: r.value, bold: true }, r.ci || (r.reason ?? "—"), { text: r.explanation, color: COLOR.muted }])}
          />
          <Charts kit={kit} perf={perf} />
          <Confusion kit={kit} perf={perf} />
          {perf.calibration ? (
            <View wrap={false} style={{ marginTop: 8 }}>
              <Text style={{ fontSize: SIZE.small + 0.6, fontWeight: "bold", color: COLOR.ink, marginBottom: 3 }}>Calibration bins</Text>
              <Table
                kit={kit}
                size={SIZE.table - 0.4}
                zebra={false}
                columns={[{ title: "Score bin", width: 62 }, ...perf.calibrationRows.map((c) => ({ title: c.bin, flex: 1, align: "right" as const }))]}
                rows={[
                  [{ text: "Rows", bold: true }, ...perf.calibrationRows.map((c) => c.count)],
                  [{ text: "Mean score", bold: true }, ...perf.calibrationRows.map((c) => c.meanScore)],
                  [{ text: "Observed rate", bold: true }, ...perf.calibrationRows.map((c) => ({ text: c.observedRate, bold: true }))],
                ]}
              />
            </View>
          ) : null}
        </View>
      )}
    </PageFrame>
  );
}
