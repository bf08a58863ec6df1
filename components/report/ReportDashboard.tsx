// The report dashboard: Summary, Performance, Fairness, Explanations and Robustness tabs for one
// audit report, with the previous version's numbers for the headline deltas when given. A
// server component; the tabs, selectors, slider and charts inside are client components fed with
// finished series from lib/views.

import type { Report } from "@/lib/report/types";
import { DASHBOARD_TABS } from "@/lib/views/tabs";
import { ExplanationsTab } from "./ExplanationsTab";
import { FairnessTab } from "./FairnessTab";
import type { SaveAtThreshold } from "./ThresholdSlider";
import { PerformanceTab } from "./PerformanceTab";
import { RobustnessTab } from "./RobustnessTab";
import { SummaryTab } from "./SummaryTab";
import { Tabs } from "./Tabs";

export interface ReportDashboardProps {
  report: Report;
  /** The previous audited version of the same model on the same dataset, if any. */
  previous?: Report | null;
  /** The threshold slider's "Save as new audit" (a server action bound to the audit), when the
   *  viewer may run audits; without it the slider only explores. */
  saveAtThreshold?: SaveAtThreshold;
}

export function ReportDashboard({ report, previous = null, saveAtThreshold }: ReportDashboardProps) {
  const content: Record<(typeof DASHBOARD_TABS)[number]["id"], React.ReactNode> = {
    summary: <SummaryTab report={report} previous={previous} />,
    performance: <PerformanceTab report={report} />,
    fairness: <FairnessTab report={report} saveAtThreshold={saveAtThreshold} />,
    explanations: <ExplanationsTab report={report} />,
    robustness: <RobustnessTab report={report} />,
  };
  return <Tabs label={`Audit report: ${report.spec.name}`} tabs={DASHBOARD_TABS.map((t) => ({ id: t.id, label: t.label, content: content[t.id] }))} />;
}

export default ReportDashboard;
