// Fairness tab: one panel per attribute and intersection (chosen with a selector): the groups,
// bars per rate with intervals and the reference group's pass band, every rate in a table, the
// disparity table against the reference, impact ratios against 0.8, the between-group numbers,
// the intersection heat map and the threshold slider.

import type { Report } from "@/lib/report/types";
import { fairnessView, SMALL_GROUP_SIZE, type AttributeView } from "@/lib/views/fairness";
import { fmtPlain } from "@/lib/views/format";
import { STATUS_COLORS } from "@/lib/views/palette";
import { notRunMessage } from "@/lib/views/sections";
import { GroupBarChart } from "./charts/GroupBarChart";
import { IntersectionHeatmap } from "./charts/IntersectionHeatmap";
import { Badge, Figure, Flags, MetricName, NotRun, PassFail, Section, Value } from "./parts";
import { Switcher } from "./Switcher";
import { ThresholdSlider, type SaveAtThreshold } from "./ThresholdSlider";
import s from "./report.module.css";

export function FairnessTab({ report, saveAtThreshold }: { report: Report; saveAtThreshold?: SaveAtThreshold }) {
  const f = report.sections.fairness;
  if (!f) return <NotRun title="Fairness" message={notRunMessage(report, "fairness")!} />;
  const view = fairnessView(report, f);
  if (view.attributes.length === 0) return <NotRun title="Fairness" message="The audit named no sensitive attributes, so there are no groups to compare." />;
  return (
    <div className={s.root}>
      <p className={s.lead}>
        {view.intervals} {view.minGroupSize} A group with fewer than {SMALL_GROUP_SIZE} rows is flagged <em>small</em>: its rates can move a lot by chance.
      </p>
      <Switcher
        label="Attribute"
        hint="Intersections combine two attributes (e.g. gender and race)."
        options={view.attributes.map((a) => ({ id: a.attribute, label: a.intersection ? `${a.attribute} (intersection)` : a.attribute, content: <AttributePanel a={a} tau={view.tau} saveAtThreshold={saveAtThreshold} /> }))}
      />
    </div>
  );
}

function AttributePanel({ a, tau, saveAtThreshold }: { a: AttributeView; tau: number; saveAtThreshold?: SaveAtThreshold }) {
  return (
    <div className={s.root}>
      <Section title={`Groups of ${a.attribute}`} lead={a.referenceText}>
        {a.disadvantage.length > 0 ? (
          <ul className={s.findings} aria-label={`Disadvantaged groups of ${a.attribute}`}>
            {a.disadvantage.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        ) : null}
        {a.smallGroups.length > 0 ? (
          <p className={s.notice} style={{ background: STATUS_COLORS.warn.background, color: STATUS_COLORS.warn.text }} data-testid="small-groups">
            Small groups (n &lt; 30): {a.smallGroups.join(", ")}. Their numbers are shown, hatched in the charts, but they are unstable.
          </p>
        ) : null}
        {a.excluded.length > 0 ? (
          <p className={s.notice} style={{ background: STATUS_COLORS.fail.background, color: STATUS_COLORS.fail.text }} data-testid="excluded-groups">
            Excluded from the comparisons: {a.excluded.map((x) => `${x.group} (${x.reason})`).join("; ")}.
          </p>
        ) : null}
        <div className="scroll-x">
          <table className={s.table}>
            <caption className={s.srOnly}>Every group of {a.attribute} with its rates</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col" className={s.num}>
                  n
                </th>
                {a.table.rates.map((r) => (
                  <th key={r.id} scope="col" className={s.num}>
                    <MetricName label={r.label} explanation={r.explanation} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {a.table.rows.map((row) => (
                <tr key={row.meta.group} data-small={row.meta.small || undefined}>
                  <th scope="row" style={{ fontWeight: 500 }}>
                    <span className={s.swatch} style={{ background: row.meta.color }} aria-hidden="true" />
                    {row.meta.group} <Flags flags={row.meta.flags} />
                  </th>
                  <td className={s.num}>{row.meta.nText}</td>
                  {row.cells.map((c, i) => (
                    <td key={a.table.rates[i]!.id} className={s.num}>
                      <Value text={c.text} ci={c.ci} reason={c.reason} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section title="Rates by group" lead="Bars show each group's rate with its interval (whiskers). The shaded band is where a group's rate is within the Aequitas rule of the reference group's (◆).">
        <div className={s.grid2}>
          {a.charts.map((c) => (
            <Figure key={c.rate} title={c.label} caption={`${c.explanation}${c.bandText ? ` ${c.bandText}.` : ""}`}>
              <GroupBarChart
                bars={c.bars}
                band={c.band}
                guides={c.reference ? [{ x: c.reference.value, label: "reference", dashed: true }] : []}
                axisLabel={c.label}
                ariaLabel={`${c.label} by group of ${a.attribute}: ${c.bars.map((b) => `${b.group} ${b.text}`).join(", ")}`}
              />
            </Figure>
          ))}
        </div>
      </Section>

      <Section
        title="Disparities against the reference group"
        lead={`Each cell is the group's rate divided by the reference group's. A group passes the Aequitas rule when the ratio lies in ${a.disparity.bandText} (τ = ${fmtPlain(tau)}), both ends included.`}
      >
        <div className="scroll-x">
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Group</th>
                {a.disparity.rates.map((r) => (
                  <th key={r.id} scope="col" className={s.num}>
                    {r.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {a.disparity.rows.map((row) => (
                <tr key={row.meta.group}>
                  <th scope="row" style={{ fontWeight: 500 }}>
                    {row.meta.group} <Flags flags={row.meta.flags} />
                  </th>
                  {row.cells.map((c, i) => (
                    <td key={a.disparity.rates[i]!.id} className={s.num} style={c.status === "fail" ? { background: STATUS_COLORS.fail.background } : undefined}>
                      <Value text={c.text} ci={c.ci} reason={c.reason} /> {c.status !== "none" ? <PassFail pass={c.status === "pass"} /> : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <div className={s.grid2}>
        <Section
          title="Impact ratios"
          lead={
            <>
              {a.impact.lead}{" "}
              {a.impact.failing > 0 ? <Badge status="fail">{`${a.impact.failing} below ${a.impact.threshold}`}</Badge> : <Badge status="pass">{`none below ${a.impact.threshold}`}</Badge>}
            </>
          }
        >
          <GroupBarChart
            bars={a.impact.bars}
            domainMax={a.impact.domainMax}
            guides={[
              { x: a.impact.threshold, label: String(a.impact.threshold), dashed: true },
              { x: 1, label: "" },
            ]}
            axisLabel="Impact ratio"
            ariaLabel={`Impact ratio by group of ${a.attribute}: ${a.impact.bars.map((b) => `${b.group} ${b.text}`).join(", ")}`}
          />
        </Section>
        <Section title="Comparisons across all groups" lead="Differences: 0 is equal treatment. Ratios: 1 is equal treatment.">
          <div className="scroll-x">
            <table className={s.table}>
              <tbody>
                {a.aggregates.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" style={{ fontWeight: 500 }}>
                      <MetricName label={r.label} explanation={r.explanation} />
                      <span className={s.ci}>over {r.groups}</span>
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
      </div>

      {a.heatmap ? (
        <Section title="Intersection heat map" lead={`Each cell is one combination of ${a.heatmap.rowColumn} and ${a.heatmap.colColumn}.`}>
          <IntersectionHeatmap view={a.heatmap} />
        </Section>
      ) : null}

      {a.slider ? (
        <Section title="What if the threshold moved?" lead="Drag the slider to see how selection rates and the gaps between groups change with the decision threshold. Recomputed from the score distribution stored in the report.">
          <ThresholdSlider input={a.slider} saveAtThreshold={saveAtThreshold} />
        </Section>
      ) : null}
    </div>
  );
}
