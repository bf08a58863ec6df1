"use client";
// Lines against the attack budget ε (recharts): the overall flip rate and accuracies, or one
// flip-rate line per group (small groups dashed).

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtPlain, fmtValue } from "@/lib/views/format";
import { GUIDE_COLOR } from "@/lib/views/palette";

export interface EpsilonSeries {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

export function EpsilonChart({
  data,
  series,
  yLabel,
  yMax = 1,
  guide,
  ariaLabel,
  height = 300,
}: {
  data: ReadonlyArray<{ epsilon: number }>;
  series: EpsilonSeries[];
  yLabel: string;
  yMax?: number | "auto";
  /** A horizontal dotted guide (e.g. accuracy without attack); describe it in the caption. */
  guide?: { y: number } | null;
  ariaLabel: string;
  height?: number;
}) {
  return (
    <div role="group" aria-label={ariaLabel}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
        <LineChart data={[...data]} margin={{ top: 14, right: 24, bottom: 30, left: 24 }}>
          <CartesianGrid stroke="#e6e9ee" />
          <XAxis type="number" dataKey="epsilon" domain={[0, "dataMax"]} ticks={[0, ...data.map((d) => d.epsilon)]} tick={{ fontSize: 11 }} tickFormatter={(v: number) => fmtPlain(v)} label={{ value: "Attack budget ε (standard deviations of each input)", position: "insideBottom", offset: -18, fontSize: 12 }} />
          <YAxis type="number" domain={[0, yMax === "auto" ? "auto" : yMax]} tickFormatter={(v: number) => String(Number(v.toFixed(2)))} tick={{ fontSize: 11 }} width={44} label={{ value: yLabel, angle: -90, position: "left", offset: 4, style: { textAnchor: "middle" }, fontSize: 12 }} />
          <Tooltip formatter={(v) => fmtValue(v === null || v === undefined ? null : Number(v))} labelFormatter={(l) => `ε = ${fmtPlain(Number(l))}`} />
          <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 6, fontSize: 12.5 }} />
          {guide ? <ReferenceLine y={guide.y} stroke={GUIDE_COLOR} strokeWidth={1.5} strokeDasharray="1 3" /> : null}
          {series.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? "6 4" : undefined} dot={{ r: 3.5 }} isAnimationActive={false} connectNulls={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
