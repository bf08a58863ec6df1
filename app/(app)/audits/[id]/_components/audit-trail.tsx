"use client";

// The audit's own trail, fetched the first time the section is opened.

import { useState } from "react";
import { loadAuditTrailAction, type TrailRow } from "../review-actions";

export function AuditTrail({ auditId }: { auditId: string }) {
  const [rows, setRows] = useState<TrailRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  return (
    <details
      className="trail"
      onToggle={(e) => {
        if (!(e.currentTarget as HTMLDetailsElement).open || rows || loading) return;
        setLoading(true);
        void loadAuditTrailAction(auditId).then((r) => {
          setRows(r.rows ?? null);
          setError(r.error ?? null);
          setLoading(false);
        });
      }}
    >
      <summary>This audit&apos;s trail{rows ? ` (${rows.length} ${rows.length === 1 ? "event" : "events"})` : ""}</summary>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {rows ? (
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Who</th>
                <th>What</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.seq}>
                  <td>{e.at}</td>
                  <td>{e.who}</td>
                  <td>{e.what}</td>
                  <td>{e.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
