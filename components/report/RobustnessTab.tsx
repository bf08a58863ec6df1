// Robustness tab: how many decisions flip under small, allowed changes to the inputs (by ε),
// per group, what the attack was allowed to change, the smallest change that flips a decision,
// and the most fragile rows.

import type { Report } from "@/lib/report/types";
import { glossaryEntry } from "@/lib/report/glossary";
import { OKABE_ITO } from "@/lib/views/palette";
import { fragileRows, groupFlipViews, minEpsilonView, overallView, threatRows } from "@/lib/views/robustness";
import { notRunMessage } from "@/lib/views/sections";
import { EpsilonChart } from "./charts/EpsilonChart";
import { Badge, Figure, Flags, MetricName, NotRun, Section } from "./parts";
import { Switcher } from "./Switcher";
import s from "./report.module.css";

export function RobustnessTab({ report }: { report: Report }) {
  const rob = report.sections.robustness;
  if (!rob) return <NotRun title="Robustness" message={notRunMessage(report, "robustness")!} />;
  const overall = overallView(rob);
  const groups = groupFlipViews(rob, report.sections.fairness);
  const minEps = minEpsilonView(rob);
  const fragile = fragileRows(rob);
  const g = (id: string) => glossaryEntry(id);
  return (
    <div className={s.root}>
      <p className={s.lead}>
        An attacker may change only the inputs listed as movable below, each by at most ε standard deviations. {overall.attackText}
      </p>
      <div className={s.grid2}>
        <Section title="Decisions that flip">
          <Figure title={g("flip_rate").label} caption={g("flip_rate").explanation}>
            <EpsilonChart data={overall.points} series={[{ key: "flipRate", label: "Flip rate", color: OKABE_ITO.vermillion }]} yLabel="Share of rows that flip" ariaLabel={`Flip rate by ε: ${overall.rows.map((r) => `ε ${r.epsilon}: ${r.flipRate}`).join(", ")}`} />
          </Figure>
        </Section>
        <Section title="Accuracy under attack">
          <Figure title={g("robust_accuracy").label} caption={`${g("robust_accuracy").explanation} Grey dotted line: accuracy without any change (${overall.cleanAccuracyText}).`}>
            <EpsilonChart
              data={overall.points}
              series={[
                { key: "robustAccuracy", label: "Robust accuracy", color: OKABE_ITO.blue },
                { key: "adversarialAccuracy", label: "Adversarial accuracy", color: OKABE_ITO.bluishGreen, dashed: true },
              ]}
              yLabel="Accuracy"
              guide={{ y: overall.cleanAccuracy }}
              ariaLabel={`Robust accuracy by ε: ${overall.rows.map((r) => `ε ${r.epsilon}: ${r.robustAccuracy}`).join(", ")}`}
            />
          </Figure>
        </Section>
      </div>
      <Section title="By attack budget">
        <div className="scroll-x">
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Budget ε</th>
                <th scope="col" className={s.num}>
                  <MetricName label="Flip rate" explanation={g("flip_rate").explanation} />
                </th>
                <th scope="col" className={s.num}>
                  Rows flipped
                </th>
                <th scope="col" className={s.num}>
                  <MetricName label="Robust accuracy" explanation={g("robust_accuracy").explanation} />
                </th>
                <th scope="col" className={s.num}>
                  <MetricName label="Adversarial accuracy" explanation={g("adversarial_accuracy").explanation} />
                </th>
              </tr>
            </thead>
            <tbody>
              {overall.rows.map((r) => (
                <tr key={r.epsilon}>
                  <th scope="row">{r.epsilon}</th>
                  <td className={s.num}>{r.flipRate}</td>
                  <td className={s.num}>{r.flipped}</td>
                  <td className={s.num}>{r.robustAccuracy}</td>
                  <td className={s.num}>{r.adversarialAccuracy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      {groups.length > 0 ? (
        <Section title="Flip rates by group" lead={g("robustness_disparity").explanation}>
          <Switcher
            label="Attribute"
            options={groups.map((a) => ({
              id: a.attribute,
              label: a.attribute,
              content: (
                <div className={s.grid2}>
                  <Figure title={`Flip rate by group of ${a.attribute}`} caption={a.smallGroups.length ? `Dashed lines: small groups (${a.smallGroups.join(", ")}), whose rates are unstable.` : undefined}>
                    <EpsilonChart
                      data={a.data}
                      series={a.series.map((x) => ({ key: x.key, label: x.label, color: x.color, dashed: x.small }))}
                      yLabel="Share of the group's rows that flip"
                      yMax="auto"
                      ariaLabel={`Flip rate by ε for each group of ${a.attribute}`}
                    />
                  </Figure>
                  <div>
                    <h3>Robustness disparity (highest minus lowest group flip rate)</h3>
                    <table className={s.table}>
                      <thead>
                        <tr>
                          <th scope="col">Budget ε</th>
                          <th scope="col" className={s.num}>
                            Disparity
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {a.disparity.map((d) => (
                          <tr key={d.epsilon}>
                            <th scope="row">{d.epsilon}</th>
                            <td className={s.num}>{d.text}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              ),
            }))}
          />
        </Section>
      ) : null}

      <Section title="Threat model: what the attack may change">
        <div className="scroll-x">
          <table className={s.table}>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Kind</th>
                <th scope="col">Can move</th>
                <th scope="col" className={s.num}>
                  σ (standard deviation)
                </th>
                <th scope="col">Observed range</th>
                <th scope="col">Rule or reason</th>
              </tr>
            </thead>
            <tbody>
              {threatRows(rob).map((t) => (
                <tr key={t.feature}>
                  <th scope="row" style={{ fontWeight: 500 }}>
                    {t.feature}
                  </th>
                  <td>{t.kind}</td>
                  <td>{t.canMove === "yes" ? <Badge status="info">movable</Badge> : <Badge status="neutral">fixed</Badge>}</td>
                  <td className={s.num}>{t.sigma}</td>
                  <td>{t.range}</td>
                  <td>{t.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section title="Smallest change that flips a decision (minimal ε)" lead={minEps.headline}>
        {minEps.upperBound ? (
          <p>
            <Badge status="warn">upper bound</Badge> <span className={s.cardMeta}>found without gradients; the true minimal ε may be smaller.</span>
          </p>
        ) : null}
        <dl className={s.dl}>
          {minEps.stats.map((st) => (
            <div key={st.label} style={{ display: "contents" }}>
              <dt>{st.label}</dt>
              <dd>
                {st.value}
                {minEps.upperBound ? " (upper bound)" : ""}
              </dd>
            </div>
          ))}
        </dl>
        {minEps.groups.length > 0 ? (
          <details className={s.fold} style={{ marginTop: "0.8rem" }}>
            <summary>By group</summary>
            <table className={s.table}>
              <thead>
                <tr>
                  <th scope="col">Attribute</th>
                  <th scope="col">Group</th>
                  <th scope="col" className={s.num}>
                    Rows
                  </th>
                  <th scope="col" className={s.num}>
                    Flipped
                  </th>
                  <th scope="col" className={s.num}>
                    Median minimal ε
                  </th>
                </tr>
              </thead>
              <tbody>
                {minEps.groups.map((r) => (
                  <tr key={`${r.attribute}|${r.group}`}>
                    <td>{r.attribute}</td>
                    <td>
                      {r.group} {r.small ? <Flags flags={["small (n < 30)"]} /> : null}
                    </td>
                    <td className={s.num}>{r.n}</td>
                    <td className={s.num}>{r.flipped}</td>
                    <td className={s.num}>{r.median}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </Section>

      <Section title="Most fragile rows" lead="The rows that flip with the smallest change, and what changed.">
        {fragile.length === 0 ? (
          <p className={s.caption}>No row flipped.</p>
        ) : (
          <div className={s.scrollBox}>
            <table className={s.table}>
              <thead>
                <tr>
                  <th scope="col">Data row</th>
                  <th scope="col">Groups</th>
                  <th scope="col" className={s.num}>
                    Score → after attack
                  </th>
                  <th scope="col" className={s.num}>
                    Minimal ε
                  </th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {fragile.map((f) => (
                  <tr key={f.row}>
                    <td>
                      {f.row} <span className={s.cardMeta}>(line {f.line})</span>
                    </td>
                    <td>{f.groups}</td>
                    <td className={s.num}>
                      {f.score} → {f.adversarialScore}
                    </td>
                    <td className={s.num}>{f.minEpsilon}</td>
                    <td>{f.changes.join("; ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
