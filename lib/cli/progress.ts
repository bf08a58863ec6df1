// A progress bar on stderr: redrawn in place on a terminal, one line per phase otherwise
// (logs stay readable in CI).

import type { AuditProgress } from "../engine/audit";

const PHASE_WEIGHTS: Record<string, [number, number]> = {
  loading: [0, 0.25],
  scoring: [0.25, 0.5],
  performance: [0.5, 0.55],
  fairness: [0.55, 1],
  done: [1, 1],
};

export interface ProgressBar {
  update(p: AuditProgress): void;
  done(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, label = ""): ProgressBar {
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let lastPhase = "";
  let lastDraw = 0;
  let finished = false;
  function overall(p: AuditProgress): number {
    const [a, b] = PHASE_WEIGHTS[p.phase] ?? [0, 1];
    return a + (b - a) * Math.min(1, Math.max(0, p.fraction));
  }
  return {
    update(p) {
      if (finished) return;
      const f = overall(p);
      if (!tty) {
        if (p.phase !== lastPhase) {
          lastPhase = p.phase;
          stream.write(`${label}${p.phase}… ${Math.round(f * 100)}%\n`);
        }
        return;
      }
      const t = Date.now();
      if (t - lastDraw < 80 && p.phase === lastPhase && f < 1) return;
      lastDraw = t;
      lastPhase = p.phase;
      const width = 30;
      const filled = Math.round(f * width);
      const elapsed = (t - started) / 1000;
      const eta = f > 0.02 && f < 1 ? ` ETA ${formatSeconds((elapsed * (1 - f)) / f)}` : "";
      stream.write(`\r\x1b[2K${label}[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${p.phase}${eta}`);
    },
    done() {
      if (finished) return;
      finished = true;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(tty ? `\r\x1b[2K${label}done in ${secs}s\n` : `${label}done in ${secs}s\n`);
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, "0")}s`;
}
