// A progress bar on stderr: the current phase of the audit with its share done, units done
// (e.g. explained rows) and an ETA, redrawn in place on a terminal; one line per phase
// otherwise (logs stay readable in CI).

import type { AuditPhase, AuditProgress } from "../engine/audit";
import type { TAuditSpec } from "../spec/schema";

export interface ProgressBar {
  update(p: AuditProgress): void;
  done(): void;
}

const UNITS: Partial<Record<AuditPhase, string>> = { importance: "permutations", shap: "rows", robustness: "rows" };

/** The phases an audit of this spec goes through, in order. */
export function auditPhases(spec: TAuditSpec): AuditPhase[] {
  const a = spec.analyses;
  return [
    "loading",
    "scoring",
    ...(a.performance ? (["performance"] as const) : []),
    ...(a.fairness ? (["fairness"] as const) : []),
    ...(a.permutation_importance ? (["importance"] as const) : []),
    ...(a.shap ? (["shap"] as const) : []),
    ...(a.robustness ? (["robustness"] as const) : []),
  ];
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, phases: AuditPhase[] = []): ProgressBar {
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let phase = "";
  let phaseStarted = started;
  let lastDraw = 0;
  let finished = false;
  return {
    update(p) {
      if (finished || p.phase === "done") return;
      const t = Date.now();
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStarted = t;
        lastDraw = 0;
        if (!tty) {
          const k = phases.indexOf(p.phase);
          stream.write(`${k >= 0 ? `[${k + 1}/${phases.length}] ` : ""}${p.phase}…\n`);
        }
      }
      if (!tty) return;
      if (t - lastDraw < 100 && p.fraction < 1) return;
      lastDraw = t;
      const f = Math.min(1, Math.max(0, p.fraction));
      const width = 28;
      const filled = Math.round(f * width);
      const elapsed = (t - phaseStarted) / 1000;
      const eta = f > 0.01 && f < 1 && elapsed > 0.5 ? ` · ETA ${formatSeconds((elapsed * (1 - f)) / f)}` : "";
      const units = p.done !== undefined && p.total !== undefined ? ` · ${p.done.toLocaleString("en-US")}/${p.total.toLocaleString("en-US")} ${UNITS[p.phase] ?? ""}`.trimEnd() : "";
      const k = phases.indexOf(p.phase);
      const step = k >= 0 ? `[${k + 1}/${phases.length}] ` : "";
      stream.write(`\r\x1b[2K${step}${p.phase.padEnd(11)} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%${units}${eta}`);
    },
    done() {
      if (finished) return;
      finished = true;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(tty ? `\r\x1b[2Kdone in ${secs}s\n` : `done in ${secs}s\n`);
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, "0")}s`;
}
