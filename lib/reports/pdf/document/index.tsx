// The whole audit document: cover and control block, contents, then sections 1–9 and the
// appendix, each starting on a new page. Receives the finished model (../model) and the kit.

import type { Kit } from "../kit";
import { isNotRun, type PdfModel } from "../model/document-model";
import { CoverPage, TocPage } from "./cover";
import { AppendixSection, MethodologySection, SignoffSection } from "./closing";
import { ExplainabilitySection, NotRunExplainRobustness } from "./explainability";
import { FairnessSection } from "./fairness";
import { PerformanceSection } from "./performance";
import { RobustnessSection } from "./robustness";
import { ScopeDataSection } from "./scope-data";
import { SummarySection } from "./summary";

export function AuditDocument({ kit, model, title }: { kit: Kit; model: PdfModel; title: string }) {
  const { Document } = kit.pdf;
  return (
    <Document title={title} author={model.cover.preparedBy} subject={`Model audit report ${model.cover.reportId}`} keywords={`assay-report-sha256:${model.cover.reportSha256}`} creator="Assay" producer="Assay (@react-pdf/renderer)" language="en">
      <CoverPage kit={kit} model={model} />
      <TocPage kit={kit} model={model} />
      <SummarySection kit={kit} model={model} />
      <ScopeDataSection kit={kit} model={model} />
      <PerformanceSection kit={kit} model={model} />
      <FairnessSection kit={kit} model={model} />
      {isNotRun(model.explain.permutation) && isNotRun(model.explain.shap) && isNotRun(model.robustness) ? (
        <NotRunExplainRobustness kit={kit} model={model} />
      ) : (
        <>
          <ExplainabilitySection kit={kit} model={model} />
          <RobustnessSection kit={kit} model={model} />
        </>
      )}
      <MethodologySection kit={kit} model={model} />
      <SignoffSection kit={kit} model={model} />
      <AppendixSection kit={kit} model={model} />
    </Document>
  );
}
