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

export type DashboardTabId = (typeof DASHBOARD_TABS)[number]["id"];

/** One tab's content (server-rendered). */
export function reportTabContent(tab: DashboardTabId, { report, previous = null, saveAtThreshold }: ReportDashboardProps): React.ReactNode {
  switch (tab) {
    case "summary":
      return <SummaryTab report={report} previous={previous} />;
    case "performance":
      return <PerformanceTab report={report} />;
    case "fairness":
      return <FairnessTab report={report} saveAtThreshold={saveAtThreshold} />;
    case "explanations":
      return <ExplanationsTab report={report} />;
    case "robustness":
      return <RobustnessTab report={report} />;
  }
}

/**
 * The dashboard. With `loadTab` (a server action bound to the audit) only the first tab is
 * rendered with the page and each other tab is rendered on the server when first opened: the
 * page stays small (one tab's charts, not five) however large the report.
 */
export function ReportDashboard(props: ReportDashboardProps & { loadTab?: (tab: string) => Promise<React.ReactNode> }) {
  const { report, loadTab } = props;
  return (
    <Tabs
      label={`Audit report: ${report.spec.name}`}
      load={loadTab}
      tabs={DASHBOARD_TABS.map((t, i) => ({ id: t.id, label: t.label, content: loadTab && i > 0 ? undefined : reportTabContent(t.id, props) }))}
    />
  );
}

export default ReportDashboard;
