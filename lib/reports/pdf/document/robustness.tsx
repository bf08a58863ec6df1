// Section 7: robustness. The threat model (what may move, by how much, what may not and why),
// the attack, flip rate and robust accuracy against the budget ε, the minimal ε that flips a
// decision, flip rates per group with the robustness disparity, and the most fragile rows.

import { upperDomain } from "../charts/geometry";
import { XYChart } from "../charts/xy-chart";
import type { Kit } from "../kit";
import { isNotRun, type PdfModel, type RobustnessModel } from "../model/document-model";
import { COLOR, CONTENT_WIDTH } from "../theme";
import { fmtEpsilon } from "../../../views/format";
import { OKABE_ITO } from "../../../views/palette";
import { Bullets, Figure, H3, KeyValues, Legend, NotRunNote, P, PageFrame, SectionTitle, SubTitle, Table } from "./primitives";

const HALF = (CONTENT_WIDTH - 14) / 2;
const EPSILON_LABEL = "Attack budget ε (standard deviations)";
/** Fragile rows printed; the rest stay in the report JSON. */
const FRAGILE_SHOWN = 10;

function ThreatModel({ kit, r }: { kit: Kit; r: RobustnessModel }) {
  const { View } = kit.pdf;
  return (
    <View>
      <SubTitle kit={kit} id="robustness-threat" number="7.1" title="Threat model" />
      <P kit={kit}>{r.threat.movable}</P>
      <Bullets kit={kit} items={r.threat.fixed} />
      <P kit={kit}>{r.threat.budget}</P>
      <Table
        kit={kit}
        columns={[
          { title: "Input", flex: 1 },
          { title: "Kind", width: 60 },
          { title: "Can move", width: 44 },
          { title: "σ (std. dev.)", width: 58, align: "right" },
          { title: "Observed range", width: 74, align: "right" },
          { title: "Why", flex: 1.6 },
        ]}
        rows={r.threatRows.map((t) => [t.feature, t.kind, { text: t.canMove, bold: true, color: t.canMove === "yes" ? COLOR.ink : COLOR.muted }, t.sigma, t.range, { text: t.why, color: COLOR.muted }])}
      />
      <P kit={kit} small muted>
        {`Attack: ${r.overall.attackText} ${r.rowsText}`}
      </P>
    </View>
  );
}

function Overall({ kit, r }: { kit: Kit; r: RobustnessModel }) {
  const { View } = kit.pdf;
  return (
    <View>
      <SubTitle kit={kit} id="robustness-overall" number="7.2" title="Flip rate against the attack budget" />
      <View wrap={false} style={{ flexDirection: "row", justifyContent: "space-between" }}>
        <View style={{ width: HALF }}>
          <Figure kit={kit} title="All attacked rows">
            <XYChart
              kit={kit}
              width={HALF}
              height={170}
              x={{ domain: [0, upperDomain(r.overall.points.map((p) => p.epsilon), 0)], label: EPSILON_LABEL }}
              y={{ domain: [0, 1], label: "Share of rows", ticks: [0, 0.25, 0.5, 0.75, 1] }}
              refLines={[{ axis: "y", value: r.overall.cleanAccuracy, color: OKABE_ITO.blue, label: `accuracy without attack ${r.overall.cleanAccuracyText}` }]}
              series={[
                { name: "Flip rate", color: OKABE_ITO.vermillion, points: r.overall.points.map((p) => ({ x: p.epsilon, y: p.flipRate })), markers: true },
                { name: "Robust accuracy", color: OKABE_ITO.blue, points: r.overall.points.map((p) => ({ x: p.epsilon, y: p.robustAccuracy })), markers: true },
              ]}
            />
            <Legend
              kit={kit}
              items={[
                { label: "flip rate", color: OKABE_ITO.vermillion, shape: "line" },
                { label: "robust accuracy", color: OKABE_ITO.blue, shape: "line" },
                { label: "accuracy without attack", color: OKABE_ITO.blue, shape: "line", dashed: true },
              ]}
            />
          </Figure>
        </View>
        <View style={{ width: HALF }}>
          <Table
            kit={kit}
            columns={[
              { title: "ε", width: 34, align: "right" },
              { title: "Flip rate", flex: 1, align: "right" },
              { title: "Flipped", flex: 1.3, align: "right" },
              { title: "Robust acc.", flex: 1, align: "right" },
              { title: "Adv. acc.", flex: 1, align: "right" },
            ]}
            rows={r.overall.rows.map((o) => [o.epsilon, { text: o.flipRate, bold: true }, o.flipped, o.robustAccuracy, o.adversarialAccuracy])}
          />
          <H3 kit={kit} first>
            Minimal ε that flips a decision
          </H3>
          <P kit={kit} small>
            {r.minEpsilon.headline}
          </P>
          <KeyValues kit={kit} rows={r.minEpsilon.stats} labelWidth={90} />
        </View>
      </View>
    </View>
  );
}

function Groups({ kit, r }: { kit: Kit; r: RobustnessModel }) {
  const { View } = kit.pdf;
  return (
    <View>
      <SubTitle kit={kit} id="robustness-groups" number="7.3" title="Flip rates per group" />
      {r.groups.map((g, i) => {
        const t = r.groupTables[i]!;
        const flipRates = g.data.flatMap((d) => g.series.map((s) => (d[s.key] as number | null) ?? null));
        const caption = `Robustness disparity (highest minus lowest flip rate across the groups): ${g.disparity.map((d) => `${fmtEpsilon(d.epsilon)}: ${d.text}`).join(" · ")}.${
          g.smallGroups.length ? ` Small groups (fewer than 30 attacked rows, dashed): ${g.smallGroups.join(", ")}.` : ""
        }`;
        return (
          <View key={g.attribute} style={{ marginBottom: 6 }}>
            <Figure kit={kit} title={`${g.attribute}: flip rate per group`} caption={caption}>
              <XYChart
                kit={kit}
                width={CONTENT_WIDTH}
                height={150}
                x={{ domain: [0, upperDomain(g.data.map((d) => d.epsilon), 0)], label: EPSILON_LABEL }}
                y={{ domain: [0, upperDomain(flipRates, 0.1, 1.08)], label: "Flip rate" }}
                series={g.series.map((s) => ({ name: s.label, color: s.color, points: g.data.map((d) => ({ x: d.epsilon, y: (d[s.key] as number | null) ?? null })), markers: true, dashed: s.small }))}
              />
              <Legend kit={kit} items={g.series.map((s) => ({ label: s.label, color: s.color, shape: "line", dashed: s.small }))} />
            </Figure>
            <Table
              kit={kit}
              columns={[
                { title: "Group (flip rate at each budget)", flex: 1 },
                { title: "n", width: 38, align: "right" },
                ...t.epsilons.map((e) => ({ title: e, width: 52, align: "right" as const })),
                { title: "Median min. ε", width: 62, align: "right" },
              ]}
              rows={[
                ...t.rows.map((row) => [{ text: row.group, ...(row.small ? { sub: "small (n < 30)" } : {}) }, { text: row.n, bold: true }, ...row.flipRates, row.medianMinEpsilon]),
                [{ text: "Robustness disparity", bold: true }, "", ...t.disparity.map((d) => ({ text: d, bold: true })), ""],
              ]}
            />
          </View>
        );
      })}
    </View>
  );
}

function Fragile({ kit, r }: { kit: Kit; r: RobustnessModel }) {
  const { View } = kit.pdf;
  if (r.fragile.length === 0) return null;
  return (
    <View>
      <SubTitle kit={kit} number="7.4" title="Most fragile rows" />
      <P kit={kit} small muted>
        The attacked rows that flip at the smallest budgets, with the changes that flipped them (data row numbers are 0-based; file lines count the header).
      </P>
      <Table
        kit={kit}
        columns={[
          { title: "Row (line)", width: 52 },
          { title: "Groups", width: 100 },
          { title: "Score → after", width: 70, align: "right" },
          { title: "Min. ε", width: 40, align: "right" },
          { title: "Changes", flex: 1 },
        ]}
        rows={r.fragile.slice(0, FRAGILE_SHOWN).map((f) => [`${f.row} (${f.line})`, f.groups, `${f.score} → ${f.adversarialScore}`, f.minEpsilon, f.changes.join("; ")])}
      />
      {r.fragile.length > FRAGILE_SHOWN ? (
        <P kit={kit} small muted>
          {`${r.fragile.length - FRAGILE_SHOWN} more fragile rows are in the report JSON.`}
        </P>
      ) : null}
    </View>
  );
}

export function RobustnessSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const r = model.robustness;
  if (isNotRun(r)) {
    return (
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="robustness" number="7" title="Robustness" />
        <NotRunNote kit={kit} text={r.notRun} />
      </PageFrame>
    );
  }
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="robustness" number="7" title="Robustness" />
        <ThreatModel kit={kit} r={r} />
        <Overall kit={kit} r={r} />
      </PageFrame>
      <PageFrame kit={kit} header={model.header}>
        <Groups kit={kit} r={r} />
        <Fragile kit={kit} r={r} />
      </PageFrame>
    </>
  );
}
