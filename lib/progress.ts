// What the progress bar says about a running audit: phase name in plain words, percent, ETA.

const PHASES: Record<string, string> = {
  loading: "Loading the data",
  scoring: "Scoring the rows",
  performance: "Performance",
  fairness: "Fairness (with bootstrap intervals)",
  importance: "Permutation importance",
  shap: "SHAP explanations",
  robustness: "Robustness attacks",
  done: "Finishing",
};

export function phaseLabel(phase: string | null): string {
  return phase ? (PHASES[phase] ?? phase) : "Waiting for a worker";
}

/** Seconds left by linear extrapolation of the overall progress since the start; null when unknown. */
export function etaSeconds(progress: number, startedAt: string | null, now: number): number | null {
  if (!startedAt || progress <= 0.02 || progress >= 1) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  if (!(elapsed > 1)) return null;
  return (elapsed * (1 - progress)) / progress;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m} min ${s.toString().padStart(2, "0")} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
