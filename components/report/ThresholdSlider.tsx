"use client";
// What-if threshold slider: moves the decision threshold over the stored score distribution's
// bin edges and shows each group's selection rate, TPR, FPR, PPV and impact ratio, and the
// attribute's parity numbers, recomputed by lib/views/threshold.ts (no rows needed).

import { useId, useMemo, useState, useTransition } from "react";
import type { SliderInput } from "@/lib/views/fairness";
import { sliderView } from "@/lib/views/fairness";
import { ratesAtThresholdOrThrow } from "@/lib/views/threshold";
import { fmtPlain } from "@/lib/views/format";
import { STATUS_COLORS } from "@/lib/views/palette";
import { Flags, Value } from "./parts";
import s from "./report.module.css";

/** Queues the same audit at `threshold` (a server action); resolves with an error to show, or
 *  navigates to the new audit. */
export type SaveAtThreshold = (threshold: number) => Promise<{ error?: { message: string } } | void>;

export function ThresholdSlider({ input, saveAtThreshold }: { input: SliderInput; saveAtThreshold?: SaveAtThreshold }) {
  const uid = useId();
  const [index, setIndex] = useState(input.auditIndex);
  const [saving, startSaving] = useTransition();
  const [saveError, setSaveError] = useState<string | null>(null);
  const audit = useMemo(() => ratesAtThresholdOrThrow(input.distribution, input.attribute, input.auditIndex), [input]);
  const current = useMemo(() => ratesAtThresholdOrThrow(input.distribution, input.attribute, index), [input, index]);
  const view = sliderView(input, current, audit);
  const edges = input.distribution.edges;
  return (
    <div>
      <div className={s.controls}>
        <label htmlFor={`${uid}-range`}>
          Decision threshold: <output htmlFor={`${uid}-range`} data-testid="threshold-value">{view.threshold}</output>
        </label>
        <input
          id={`${uid}-range`}
          className={s.slider}
          type="range"
          min={0}
          max={edges.length - 1}
          step={1}
          value={index}
          aria-valuetext={`threshold ${view.threshold}`}
          onChange={(e) => setIndex(Number(e.target.value))}
        />
        <button type="button" className={s.button} onClick={() => setIndex(input.auditIndex)} disabled={view.isAudit}>
          Back to the audit&apos;s threshold ({fmtPlain(input.auditThreshold)})
        </button>
        {saveAtThreshold ? (
          <button
            type="button"
            className={s.button}
            disabled={view.isAudit || saving}
            title="Queue this audit again (same spec, dataset, model and seeds) with the threshold chosen here, and open it"
            onClick={() => {
              const threshold = current.threshold;
              setSaveError(null);
              startSaving(async () => {
                const r = await saveAtThreshold(threshold);
                if (r && r.error) setSaveError(r.error.message);
              });
            }}
          >
            {saving ? "Queueing…" : `Save as new audit at ${view.threshold}`}
          </button>
        ) : null}
      </div>
      {saveError ? (
        <p className={s.caption} role="alert" style={{ color: STATUS_COLORS.fail.text }}>
          Could not queue the audit: {saveError}
        </p>
      ) : null}
      <p className={s.caption} aria-live="polite">
        {view.isAudit ? "At the audit's own threshold: these are the report's numbers." : `What if the model selected everyone scoring ${view.threshold} or more? The audit used ${fmtPlain(input.auditThreshold)}.`}{" "}
        {input.distribution.exact ? "Every distinct score is a step." : "Scores were grouped into 100 equal-width bins, so the threshold moves in those steps."}
      </p>
      <div className="scroll-x">
        <table className={s.table}>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Selection rate (bar) · audit threshold (line)</th>
              {view.columns.map((c) => (
                <th key={c.id} scope="col" className={s.num}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r, i) => {
              const bar = view.bars[i]!;
              return (
                <tr key={r.meta.group}>
                  <th scope="row" style={{ fontWeight: 500 }}>
                    {r.meta.short} <Flags flags={r.meta.flags} />
                  </th>
                  <td>
                    <div className={s.bar} aria-hidden="true">
                      <span style={{ width: `${(bar.value ?? 0) * 100}%`, background: bar.color }} />
                      {bar.audit !== null ? <i style={{ left: `calc(${bar.audit * 100}% - 1px)` }} /> : null}
                    </div>
                  </td>
                  {r.cells.map((c) => (
                    <td key={c.id} className={s.num} data-testid={`slider-${c.id}-${r.meta.group}`} style={c.status === "fail" ? { color: STATUS_COLORS.fail.text, fontWeight: 600 } : undefined}>
                      <Value text={c.text} reason={c.reason} />
                      {c.status === "fail" ? " ✗" : ""}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="scroll-x" style={{ maxWidth: 560, marginTop: "0.6rem" }}>
        <table className={s.table}>
          <thead>
            <tr>
              <th scope="col">Across groups</th>
              <th scope="col" className={s.num}>
                At {view.threshold}
              </th>
              <th scope="col" className={s.num}>
                At the audit&apos;s threshold
              </th>
            </tr>
          </thead>
          <tbody>
            {view.aggregates.map((a) => (
              <tr key={a.id}>
                <th scope="row" style={{ fontWeight: 500 }}>
                  {a.label}
                </th>
                <td className={s.num} data-testid={`slider-${a.id}`}>
                  {a.text}
                </td>
                <td className={s.num}>{a.auditText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
