// Tabs of the report dashboard and the keyboard model of the WAI-ARIA tabs pattern (arrow keys
// wrap, Home/End jump), plus the URL hash that remembers the open tab.

export const DASHBOARD_TABS = [
  { id: "summary", label: "Summary" },
  { id: "performance", label: "Performance" },
  { id: "fairness", label: "Fairness" },
  { id: "explanations", label: "Explanations" },
  { id: "robustness", label: "Robustness" },
] as const;

export type DashboardTabId = (typeof DASHBOARD_TABS)[number]["id"];

/** The tab to focus after a key press, or null when the key does not move between tabs. */
export function nextTabIndex(current: number, key: string, count: number, orientation: "horizontal" | "vertical" = "horizontal"): number | null {
  if (count <= 0) return null;
  const next = orientation === "horizontal" ? "ArrowRight" : "ArrowDown";
  const prev = orientation === "horizontal" ? "ArrowLeft" : "ArrowUp";
  if (key === next) return (current + 1) % count;
  if (key === prev) return (current - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

/** "#fairness" → "fairness" when it names one of `ids`, else null. */
export function tabFromHash(hash: string, ids: readonly string[]): string | null {
  const id = decodeURIComponent(hash.replace(/^#/, ""));
  return ids.includes(id) ? id : null;
}
