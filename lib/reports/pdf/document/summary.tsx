// Section 1, executive summary: the verdict, the policy table (every check with its bound,
// value and PASS or FAIL) and the top risks in plain words; then the headline numbers and the
// changes against the previous audited version when there is one.

import type { Kit } from "../kit";
import type { ChangesModel } from "../model/changes";
import type { PdfModel } from "../model/document-model";
import type { RiskLevel } from "../model/risks";
import { COLOR, SIZE } from "../theme";
import { headlineIntervalText, headlineIntervalTitle } from "../../../views/summary";
import type { Change } from "../../../views/directions";
import { H3, Note, P, PageFrame, SectionTitle, SubTitle, Table, Tag, text, type Cell } from "./primitives";

const LEVEL: Record<RiskLevel, { tag: "fail" | "warn" | "neutral"; word: string }> = {
  high: { tag: "fail", word: "HIGH" },
  medium: { tag: "warn", word: "MEDIUM" },
  low: { tag: "neutral", word: "LOW" },
};

function changeCell(change: Change, delta: string): Cell {
  const word = change === "better" ? "better" : change === "worse" ? "worse" : change === "same" ? "same" : "";
  const color = change === "better" ? COLOR.pass.text : change === "worse" ? COLOR.fail.text : COLOR.muted;
  return { text: word ? `${delta} ${word}` : delta, color, bold: change === "better" || change === "worse" };
}

export function SummarySection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const s = model.summary;
  const tone = s.verdict.status === "pass" ? "pass" : s.verdict.status === "fail" ? "fail" : "neutral";
  const ch = s.changes;
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="summary" number="1" title="Executive summary" />
        <Note kit={kit} tone={tone} title={`Overall verdict: ${s.verdict.title.toUpperCase()} (${s.checksText})`}>
          {s.verdict.detail}
        </Note>

        <H3 kit={kit}>Policy checks</H3>
        {s.policy.length === 0 ? (
          <P kit={kit} muted>
            The audit spec defines no policy checks.
          </P>
        ) : (
          <Table
            kit={kit}
            columns={[
              { title: "#", width: 16 },
              { title: "Check (metric)", flex: 1.5 },
              { title: "Applies to", flex: 1.4 },
              { title: "Bound", width: 62 },
              { title: "Value", width: 42, align: "right" },
              { title: "Result", width: 40, align: "center" },
            ]}
            rows={s.policy.map((p) => [
              String(p.index),
              { text: p.label, bold: true, sub: p.metric },
              p.note ? { text: p.appliesTo, sub: p.note } : p.appliesTo,
              p.bound,
              { text: p.value, bold: true },
              { text: p.status, tag: p.status === "PASS" ? "pass" : "fail" },
            ])}
          />
        )}

        <H3 kit={kit}>Top risks</H3>
        {s.risks.length === 0 ? (
          <P kit={kit} muted>
            Nothing in the report calls for particular attention: every check passes, no group falls below the four-fifths rule, and there are no small, excluded or unknown groups.
          </P>
        ) : (
          <View style={{ marginBottom: 6 }}>
            {s.risks.map((r, i) => (
              <View key={i} wrap={false} style={{ flexDirection: "row", paddingTop: 3.2, paddingBottom: 3.2, borderBottomWidth: 0.4, borderBottomColor: COLOR.hairline, borderBottomStyle: "solid" }}>
                <View style={{ width: 50, paddingTop: 0.5, alignItems: "flex-start" }}>
                  <Tag kit={kit} status={LEVEL[r.level].tag} label={LEVEL[r.level].word} size={SIZE.tiny} />
                </View>
                <Text style={{ flex: 1, fontSize: SIZE.body, fontWeight: "bold", color: COLOR.ink }}>
                  {r.title}
                  <Text style={{ ...text.small, fontWeight: "normal", color: COLOR.text }}>{`\n${r.detail}`}</Text>
                </Text>
              </View>
            ))}
          </View>
        )}
      </PageFrame>

      <PageFrame kit={kit} header={model.header}>
        <SubTitle kit={kit} id="summary-headline" number="1.1" title="Headline numbers" />
        {s.headline.length > 0 ? (
          <Table
            kit={kit}
            columns={[
              { title: "Metric", flex: 1.6 },
              { title: "Applies to", flex: 1.2 },
              { title: "Value", width: 44, align: "right" },
              { title: headlineIntervalTitle(s.headline), width: 82, align: "right" },
              ...(ch ? [{ title: ch.previousLabel, width: 50, align: "right" as const }, { title: "Change", width: 70, align: "right" as const }] : []),
            ]}
            rows={s.headline.map((h) => [
              { text: h.label, bold: true },
              h.qualifier || "whole dataset",
              { text: h.value, bold: true },
              headlineIntervalText(h, s.headline) || "—",
              ...(ch && h.change ? [h.change.previous, changeCell(h.change.change, h.change.delta)] : ch ? ["—", "—"] : []),
            ])}
          />
        ) : (
          <P kit={kit} muted>
            The report holds no headline numbers (neither performance nor fairness was analysed).
          </P>
        )}
        <P kit={kit} small muted>
          {ch ? `Change: this version minus ${ch.previousLabel}; "better" and "worse" follow the metric's direction (higher accuracy is better, a larger difference between groups is worse).` : "The full set of numbers is in sections 4 to 7."}
        </P>
        {ch ? (
          <ChangesBlock kit={kit} ch={ch} />
        ) : (
          <>
            <SubTitle kit={kit} id="summary-changes" number="1.2" title="Changes against the previous audited version" />
            <P kit={kit} muted>
              {s.changesNote}
            </P>
          </>
        )}
      </PageFrame>
    </>
  );
}

function ChangesBlock({ kit, ch }: { kit: Kit; ch: ChangesModel }) {
  const { View } = kit.pdf;
  return (
    <View>
      <SubTitle kit={kit} id="summary-changes" number="1.2" title={`Changes against the previous audited version (${ch.previousLabel} → ${ch.currentLabel})`} />
      <P kit={kit}>{ch.datasetNote}</P>
      <H3 kit={kit} first>
        Policy status
      </H3>
      <Table
        kit={kit}
        columns={[
          { title: "Check", flex: 1.4 },
          { title: "Applies to", flex: 1.2 },
          { title: "Bound", width: 58 },
          { title: ch.previousLabel, width: 66, align: "right" },
          { title: ch.currentLabel, width: 66, align: "right" },
          { title: "Change", width: 60 },
        ]}
        rows={ch.policy.map((p) => [p.label, p.appliesTo, p.bound, p.before, p.after, { text: p.change, bold: p.status !== "neutral", color: p.status === "pass" ? COLOR.pass.text : p.status === "fail" ? COLOR.fail.text : COLOR.muted }])}
      />
      <P kit={kit} small muted>
        {ch.tally}
      </P>
      <H3 kit={kit}>Feature rank changes</H3>
      {ch.ranks.length > 0 ? (
        <Table
          kit={kit}
          columns={[
            { title: "Feature", flex: 1 },
            { title: `SHAP ${ch.previousLabel}`, width: 62, align: "right" },
            { title: `SHAP ${ch.currentLabel}`, width: 62, align: "right" },
            { title: "Move", width: 56 },
            { title: `Perm. ${ch.previousLabel}`, width: 62, align: "right" },
            { title: `Perm. ${ch.currentLabel}`, width: 62, align: "right" },
            { title: "Move", width: 56 },
          ]}
          rows={ch.ranks.map((r) => [r.feature, r.shap.before, { text: r.shap.after, bold: true }, r.shap.move, r.importance.before, { text: r.importance.after, bold: true }, r.importance.move])}
        />
      ) : (
        <P kit={kit} small muted>
          No feature changed its rank by mean |SHAP| or permutation importance (or neither version has explanations).
        </P>
      )}
      <P kit={kit} small muted>
        Ranks: #1 is the column the model relies on most (by mean |SHAP| and by permutation importance).
      </P>
    </View>
  );
}
