// Section 6: explainability. Permutation importance and mean |SHAP| per input column as bar
// charts with their spread, each with the method stated: scoring and repeats; exact or sampled
// KernelSHAP, coalitions, link, background, explained rows and sampling error. When neither
// explanation nor robustness ran (a score column), sections 6 and 7 share one page.

import { BarPanels } from "../charts/bar-panels";
import { barDomain, barRowHeight } from "../charts/geometry";
import type { Kit } from "../kit";
import { isNotRun, type PdfModel } from "../model/document-model";
import { CONTENT_WIDTH } from "../theme";
import type { ImportanceView } from "../../../views/explanations";
import { OKABE_ITO } from "../../../views/palette";
import { Figure, KeyValues, NotRunNote, P, PageFrame, SectionTitle, SubTitle, Table } from "./primitives";

const INTRO =
  "Which input columns the model relies on. Both measures treat a raw column as one unit (a one-hot block moves together). They describe the model, not the world: a column the model relies on need not cause the outcome.";

function ImportanceChart({ kit, view, title, color }: { kit: Kit; view: ImportanceView; title: string; color: string }) {
  return (
    <Figure kit={kit} title={title} caption={view.caption}>
      <BarPanels
        kit={kit}
        labels={view.bars.map((b) => b.feature)}
        panels={[{ title: view.axisLabel, domain: barDomain(view.bars), bars: view.bars.map((b) => ({ value: b.value, error: b.error, color })), ticks: 6 }]}
        width={CONTENT_WIDTH}
        labelWidth={120}
        rowHeight={barRowHeight(view.bars.length)}
      />
    </Figure>
  );
}

function RankTable({ kit, view, title }: { kit: Kit; view: ImportanceView; title: string }) {
  return (
    <Table
      kit={kit}
      columns={[
        { title: "Rank", width: 32, align: "right" },
        { title: "Column", flex: 1 },
        { title, width: 130, align: "right" },
      ]}
      rows={view.bars.map((b, i) => [String(i + 1), b.feature, { text: b.text, bold: i < 3 }])}
    />
  );
}

function PermutationContent({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View } = kit.pdf;
  const pi = model.explain.permutation;
  return (
    <View>
      <SubTitle kit={kit} id="explainability-permutation" number="6.1" title="Permutation importance" />
      {isNotRun(pi) ? (
        <NotRunNote kit={kit} text={pi.notRun} />
      ) : (
        <View>
          <KeyValues kit={kit} rows={pi.method} labelWidth={118} />
          <ImportanceChart kit={kit} view={pi.view} title="Permutation importance per column" color={OKABE_ITO.blue} />
          <RankTable kit={kit} view={pi.view} title="Importance (mean ± std)" />
        </View>
      )}
    </View>
  );
}

function ShapContent({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View } = kit.pdf;
  const shap = model.explain.shap;
  return (
    <View>
      <SubTitle kit={kit} id="explainability-shap" number="6.2" title={model.explain.shapTitle} />
      {isNotRun(shap) ? (
        <NotRunNote kit={kit} text={shap.notRun} />
      ) : (
        <View>
          <KeyValues kit={kit} rows={shap.method} labelWidth={118} />
          <ImportanceChart kit={kit} view={shap.view} title={shap.chartTitle} color={OKABE_ITO.reddishPurple} />
          <RankTable kit={kit} view={shap.view} title="Mean |SHAP| ± 1.96 SE" />
          <P kit={kit} small muted>
            {`${shap.features} players (input columns). A positive SHAP value pushes a prediction up, a negative one down; the chart shows their average size regardless of sign.`}
          </P>
        </View>
      )}
    </View>
  );
}

/** Sections 6 and 7 when neither ran (a score-column audit): one page, not two near-empty ones. */
export function NotRunExplainRobustness({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View } = kit.pdf;
  const r = model.robustness;
  if (!isNotRun(r)) return null;
  return (
    <PageFrame kit={kit} header={model.header}>
      <SectionTitle kit={kit} id="explainability" number="6" title="Explainability" />
      <PermutationContent kit={kit} model={model} />
      <ShapContent kit={kit} model={model} />
      <View style={{ height: 18 }} />
      <SectionTitle kit={kit} id="robustness" number="7" title="Robustness" />
      <NotRunNote kit={kit} text={r.notRun} />
    </PageFrame>
  );
}

export function ExplainabilitySection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { permutation: pi, shap } = model.explain;
  // Permutation importance and SHAP each fill a page; one that was not run shares the other's.
  const together = isNotRun(pi) || isNotRun(shap);
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="explainability" number="6" title="Explainability" intro={INTRO} />
        <PermutationContent kit={kit} model={model} />
        {together ? <ShapContent kit={kit} model={model} /> : null}
      </PageFrame>
      {together ? null : (
        <PageFrame kit={kit} header={model.header}>
          <ShapContent kit={kit} model={model} />
        </PageFrame>
      )}
    </>
  );
}
