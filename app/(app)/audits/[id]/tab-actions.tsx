"use server";
// The audit page's dashboard tabs beyond the first, rendered on the server when a reader first
// opens them (the page itself carries only the Summary): checks the session and the read role.

import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getAuditPage } from "@/lib/services/audits";
import type { DashboardTabId } from "@/components/report/ReportDashboard";
import { DASHBOARD_TABS } from "@/lib/views/tabs";
import { invalidInput } from "@/lib/errors";
import { rerunAtThresholdAction } from "../../projects/actions";

export async function loadReportTabAction(auditId: string, tab: string): Promise<ReactNode> {
  const actor = await getActor();
  if (!DASHBOARD_TABS.some((t) => t.id === tab)) throw invalidInput(`no tab "${tab}"`);
  const { audit, report, previous } = await getAuditPage(actor, auditId);
  if (!report) return <p>This audit has no report yet.</p>;
  // the dashboard (charts, d3) is loaded only once the reader is known to be allowed to see it
  const { reportTabContent } = await import("@/components/report/ReportDashboard");
  const saveAtThreshold = audit.project && actor && can(actor, "run_audit") ? rerunAtThresholdAction.bind(null, audit.id) : undefined;
  return reportTabContent(tab as DashboardTabId, { report, previous: previous?.report ?? null, saveAtThreshold });
}
