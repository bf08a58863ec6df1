// Version comparison: two or more reports of the same model family on the same dataset, oldest
// first. Policy status changes, a trend chart of chosen metrics, every metric side by side with
// the change from the previous version coloured better/worse, and feature-rank changes.

import type { Report } from "@/lib/report/types";
import { compareViewModel, type RankCompareRow } from "@/lib/views/compare";
import { STATUS_COLORS } from "@/lib/views/palette";
import { TrendChart } from "./charts/TrendChart";
import { Badge, ChangeBadge, MetricName, PassFail, Section } from "./parts";
import s from "./report.module.css";

export interface CompareViewProps {
  items: Array<{ label: string; report: Report }>;
}

export function CompareView({ items }: CompareViewProps) {
  if (items.length < 2) return <p className={s.notRun}>Choose at least two versions to compare.</p>;
  const vm = compareViewModel(items);
  return (
    <div className={s.root}>
      <div className={s.cards}>
        {vm.verdicts.map((v) => (
          <div key={v.label} className={s.card} style={{ borderLeftColor: STATUS_COLORS[v.status === "none" ? "neutral" : v.status].fill }}>
            <h3>{v.label}</h3>
            <div>{v.status === "none" ? <Badge status="neutral">{v.text}</Badge> : <Badge status={v.status}>{v.status === "pass" ? "✓" : "✗"} {v.text}</Badge>}</div>
          </div>
        ))}
      </div>
      {vm.datasetWarning ? (
        <p className={s.notice} style={{ background: STATUS_COLORS.warn.background, color: STATUS_COLORS.warn.text }} role="note">
          {vm.datasetWarning}
        </p>
      ) : null}

      {vm.policy.length > 0 ? (
        <Section title="Policy checks across versions">
          <div className="scroll-x">
            <table className={s.table}>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Required</th>
                  {vm.labels.map((l) => (
                    <th key={l} scope="col">
                      {l}
                    </th>
                  ))}
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {vm.policy.map((p) => (
                  <tr key={p.key}>
                    <th scope="row" style={{ fontWeight: 500 }}>
                      {p.label}
                      {p.qualifier ? <span className={s.cardMeta}> · {p.qualifier}</span> : null}
                    </th>
                    <td>{p.requirement}</td>
                    {p.cells.map((c, i) => (
                      <td key={i}>
                        {c.status === "absent" ? <span className={s.cardMeta}>not checked</span> : <><span className={s.num}>{c.value}</span> <PassFail pass={c.status === "pass"} /></>}
                        {c.note ? <span className={s.ci}>{c.note}</span> : null}
                      </td>
                    ))}
                    <td>
                      <Badge status={p.transitionStatus}>{p.transitionText}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}

      <Section title="Trend across versions" lead="Choose the numbers to follow from one version to the next.">
        <TrendChart options={vm.trend.options} defaults={vm.trend.defaults} data={vm.trend.data} />
      </Section>

      <Section title="Every number, side by side" lead="Changes are against the previous version: ▲ better, ▼ worse, = unchanged; no mark when a change is neither better nor worse (e.g. group sizes, importances). Hover a name for its meaning.">
        {vm.sections.map((sec) => (
          <details key={sec.id} className={s.fold} open={!sec.folded}>
            <summary>
              {sec.title} <span className={s.cardMeta}>({sec.rows.length} numbers)</span>{" "}
              {sec.better ? <Badge status="pass">{sec.better} better</Badge> : null} {sec.worse ? <Badge status="fail">{sec.worse} worse</Badge> : null}
            </summary>
            <div className="scroll-x">
              <table className={s.table} style={{ maxWidth: 320 + 190 * vm.labels.length }}>
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    {vm.labels.map((l) => (
                      <th key={l} scope="col" className={s.num}>
                        {l}
                      </th>
                    ))}
                    {vm.labels.length > 2 ? (
                      <th scope="col" className={s.num}>
                        First → last
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {sec.rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row" style={{ fontWeight: 500 }}>
                        <MetricName label={r.label} explanation={r.explanation} qualifier={r.qualifier} />
                      </th>
                      {r.cells.map((c, i) => (
                        <td key={i} className={s.num}>
                          {c.text} {c.delta !== null && c.change !== null ? <ChangeBadge change={c.change} delta={c.delta} /> : null}
                        </td>
                      ))}
                      {vm.labels.length > 2 ? (
                        <td className={s.num}>
                          <ChangeBadge change={r.overall.change} delta={r.overall.delta} />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        ))}
      </Section>

      <div className={s.grid2}>
        <Section title="SHAP rank changes" lead="Rank of each column by its mean |SHAP| (#1 = most influential).">
          <RankTable rows={vm.shapRanks} labels={vm.labels} empty="No version has SHAP explanations." />
        </Section>
        <Section title="Permutation importance rank changes" lead="Rank of each column by how much shuffling it hurts the model.">
          <RankTable rows={vm.importanceRanks} labels={vm.labels} empty="No version has permutation importance." />
        </Section>
      </div>
    </div>
  );
}

function RankTable({ rows, labels, empty }: { rows: RankCompareRow[]; labels: string[]; empty: string }) {
  if (rows.length === 0) return <p className={s.caption}>{empty}</p>;
  return (
    <div className="scroll-x">
      <table className={s.table}>
        <thead>
          <tr>
            <th scope="col">Column</th>
            {labels.map((l) => (
              <th key={l} scope="col">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.feature}>
              <th scope="row" style={{ fontWeight: 500 }}>
                {r.feature}
              </th>
              {r.cells.map((c, i) => (
                <td key={i}>
                  <strong>{c.rank}</strong> <span className={s.cardMeta}>{c.rank !== "not used" ? c.value : ""}</span>{" "}
                  {c.move ? <Badge status={c.moved === "up" ? "info" : c.moved === "down" ? "warn" : "neutral"}>{c.moved === "up" ? "↑ " : c.moved === "down" ? "↓ " : ""}{c.move}</Badge> : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default CompareView;
