// Explanations tab: which columns the model relies on (permutation importance, SHAP global
// importance), how each column pushes individual predictions (beeswarm), and one row's
// prediction taken apart (waterfall). Absent analyses say so.

import type { Report } from "@/lib/report/types";
import { beeswarmView, permutationView, shapGlobalView, shapLead } from "@/lib/views/explanations";
import { notRunMessage } from "@/lib/views/sections";
import { Beeswarm } from "./Beeswarm";
import { ImportanceChart } from "./charts/ImportanceChart";
import { Figure, NotRun, Section } from "./parts";
import { WaterfallExplorer } from "./WaterfallExplorer";
import s from "./report.module.css";

export function ExplanationsTab({ report }: { report: Report }) {
  const pi = report.sections.permutationImportance;
  const shap = report.sections.shap;
  const piView = pi ? permutationView(pi) : null;
  const globalView = shap ? shapGlobalView(shap) : null;
  return (
    <div className={s.root}>
      <Section title="Permutation importance" lead="Which columns the model's accuracy depends on: each column's values are shuffled between rows and the loss of quality is measured.">
        {pi && piView ? (
          <Figure title="Loss of quality when a column is shuffled" caption={piView.caption}>
            <ImportanceChart bars={piView.bars} axisLabel={piView.axisLabel} ariaLabel={`Permutation importance: ${piView.bars.map((b) => `${b.feature} ${b.text}`).join(", ")}`} />
          </Figure>
        ) : (
          <NotRun title="Not run" message={notRunMessage(report, "permutationImportance")!} />
        )}
      </Section>

      {shap && globalView ? (
        <>
          <Section title="SHAP: overall influence of each column" lead={shapLead(shap)}>
            <Figure title="Mean size of the contribution" caption={globalView.caption}>
              <ImportanceChart bars={globalView.bars} axisLabel={globalView.axisLabel} ariaLabel={`Mean absolute SHAP value: ${globalView.bars.map((b) => `${b.feature} ${b.text}`).join(", ")}`} />
            </Figure>
          </Section>
          <Section title="SHAP: every explained row" lead="One dot per explained row and column. Dots right of the centre line raised that row's prediction; dots left lowered it. Colour shows whether the column's value was low or high.">
            <Beeswarm view={beeswarmView(shap)} />
          </Section>
          <Section title="One prediction, step by step">
            <WaterfallExplorer shap={{ features: shap.features, baseValue: shap.baseValue, link: shap.link, units: shap.units, method: shap.method, rows: shap.rows }} />
          </Section>
        </>
      ) : (
        <Section title="SHAP explanations">
          <NotRun title="Not run" message={notRunMessage(report, "shap")!} />
        </Section>
      )}
    </div>
  );
}
