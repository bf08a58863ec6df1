"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { etaSeconds, formatDuration, phaseLabel } from "@/lib/progress";

interface Status {
  status: string;
  phase: string | null;
  progress: number;
  message: string | null;
  error: string | null;
  startedAt: string | null;
  cancelRequested: boolean;
}

/** Live progress of a queued or running audit, polled from the API once a second. */
export function AuditProgress({ auditId, initial }: { auditId: string; initial: Status }) {
  const router = useRouter();
  const [s, setS] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let alive = true;
    let last = initial.status;
    const tick = async () => {
      try {
        const res = await fetch(`/api/audits/${auditId}`, { cache: "no-store" });
        if (res.ok) {
          const next = (await res.json()) as Status;
          if (!alive) return;
          // a new status (queued → running → done) re-renders the page, so its badge agrees with the bar
          const changed = next.status !== last;
          last = next.status;
          setS(next);
          setNow(Date.now());
          if (changed) router.refresh();
        }
      } catch {
        // keep polling; a transient network error is not the audit's state
      }
    };
    const timer = setInterval(tick, 1000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [auditId, router, initial.status]);
  const pct = Math.round(s.progress * 100);
  const eta = etaSeconds(s.progress, s.startedAt, now);
  return (
    <section className="status-panel" aria-live="polite" aria-label="Audit progress">
      <div className="page-head">
        <strong>{s.status === "queued" ? "Queued" : s.cancelRequested ? "Cancelling…" : phaseLabel(s.phase)}</strong>
        <span>
          {pct}%{eta !== null ? ` · about ${formatDuration(eta)} left` : ""}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Audit progress">
        <div style={{ width: `${pct}%` }} />
      </div>
      {s.message ? <span className="muted small">{s.message}</span> : null}
    </section>
  );
}
