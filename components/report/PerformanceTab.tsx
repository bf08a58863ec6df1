// Performance tab: metrics with intervals, ROC curve, calibration (probability scores only) and
// the confusion matrix in plain words.

import type { Report } from "@/lib/report/types";
import { calibrationView, confusionView, performanceNote, performanceRows, rocView } from "@/lib/views/performance";
import { notRunMessage } from "@/lib/views/sections";
import { STATUS_COLORS } from "@/lib/views/palette";
import { CalibrationChart } from "./charts/CalibrationChart";
import { RocChart } from "./charts/RocChart";
import { Figure, MetricName, NotRun, Section, Value } from "./parts";
import s from "./report.module.css";

export function PerformanceTab({ report }: { report: Report }) {
  const perf = report.sections.performance;
  if (!perf) return <NotRun title="Performance" message={notRunMessage(report, "performance")!} />;
  const rows = performanceRows(perf);
  const roc = rocView(report, perf);
  const calibration = calibrationView(perf);
  const confusion = confusionView(report, perf);
  return (
    <div className={s.root}>
      <Section
        title="How well the model predicts"
        lead={performanceNote(report, perf)}
      >
        <div className="scroll-x">
          <table className={s.table} style={{ maxWidth: 820 }}>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className={s.num}>
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row" style={{ fontWeight: 500 }}>
                    <MetricName label={r.label} explanation={r.explanation} explain />
                  </th>
                  <td className={s.num}>
                    <Value text={r.value} ci={r.ci} reason={r.reason} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <div className={s.grid2}>
        <Section title="ROC curve">
          <Figure title="Ranking quality at every threshold" caption="Each point is one possible threshold; the closer the curve runs to the top-left corner, the better the model separates positives from negatives. The dashed diagonal is guessing.">
            <RocChart roc={roc} />
            {roc.operating ? <p className={s.caption}>{roc.operating.label}</p> : null}
          </Figure>
        </Section>
        <Section title="Calibration">
          {calibration ? (
            <Figure title="Do predicted probabilities match reality?" caption="Rows are grouped into ten bins by score. A point on the dashed diagonal means that, of the people scored around p, a share p really had a positive outcome.">
              <CalibrationChart points={calibration} />
            </Figure>
          ) : (
            <p className={s.caption}>Calibration applies only to probability scores; this audit&apos;s score ({report.model.outputType}) is not a probability, so it was not computed.</p>
          )}
        </Section>
      </div>

      <Section title="Confusion matrix" lead={`Who the model selected (score at or above the threshold) against the actual outcome (${confusion.positive} is positive).`}>
        <div className="scroll-x">
          <table className={s.table} style={{ maxWidth: 720 }}>
            <thead>
              <tr>
                <th scope="col">Actual outcome</th>
                <th scope="col">Selected by the model</th>
                <th scope="col">Not selected</th>
              </tr>
            </thead>
            <tbody>
              {confusion.rows.map((r) => (
                <tr key={r.actual}>
                  <th scope="row">{r.actual}</th>
                  {r.cells.map((c) => (
                    <td key={c.key} style={{ background: c.correct ? STATUS_COLORS.pass.background : STATUS_COLORS.fail.background }}>
                      <strong style={{ fontSize: "1.2rem" }}>{c.count}</strong> <span className={s.cardMeta}>({c.share})</span>
                      <span className={s.explain}>
                        <strong>{c.name}</strong>: {c.meaning}
                      </span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className={s.caption}>Green cells are correct decisions, orange cells are errors. Total: {confusion.total} rows.</p>
      </Section>
    </div>
  );
}
