"use client";
// Horizontal bars, one per group (recharts): the value with interval whiskers, the group's colour,
// small groups hatched, excluded groups faded, the reference group marked, and optional guide
// lines (e.g. 0.8 for impact ratios) and a shaded band (the Aequitas pass band).

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { GroupMeta, ValueView } from "@/lib/views/fairness";
import { BAND_COLOR, GUIDE_COLOR } from "@/lib/views/palette";

export type GroupBar = GroupMeta & ValueView;

export interface GuideLine {
  x: number;
  label: string;
  dashed?: boolean;
}

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown; index?: number };
}

export function GroupBarChart({ bars, domainMax = 1, band = null, guides = [], axisLabel, ariaLabel }: { bars: GroupBar[]; domainMax?: number; band?: [number, number] | null; guides?: GuideLine[]; axisLabel: string; ariaLabel: string }) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const rows = bars.map((b, i) => ({ ...b, i, plotted: b.value ?? 0, label: b.value === null ? "— undefined" : b.ci ? `${b.text} ${b.ci}` : b.text }));
  const longest = Math.max(...bars.map((b) => b.short.length), 6);
  const yWidth = Math.min(230, 16 + longest * 7.2);
  const height = bars.length * 40 + 80;
  const valueWidth = Math.max(...rows.map((r) => r.label.length), 6) * 7.4 + 14;
  const groupTick = ({ x, y, payload }: TickProps) => {
    const b = rows[payload?.index ?? -1];
    if (!b) return null;
    const notes = [`n = ${b.nText}`, b.reference ? "reference" : "", b.small ? "small" : "", b.excluded ? "excluded" : ""].filter(Boolean).join(" · ");
    return (
      <g transform={`translate(${Number(x)},${Number(y)})`}>
        <text x={-6} y={-3} textAnchor="end" fontSize={12} fontWeight={b.reference ? 700 : 400} fill="#1b1f24">
          {b.reference ? "◆ " : ""}
          {b.short}
        </text>
        <text x={-6} y={11} textAnchor="end" fontSize={10.5} fill={b.small || b.excluded ? "#7A5000" : "#5b6470"}>
          {notes}
        </text>
      </g>
    );
  };
  const valueTick = ({ x, y, payload }: TickProps) => {
    const b = rows[payload?.index ?? -1];
    if (!b) return null;
    return (
      <text x={Number(x) + 6} y={Number(y) + 4} fontSize={11.5} fill="#1b1f24">
        <tspan fontWeight={600}>{b.value === null ? "—" : b.text}</tspan>
        <tspan fill="#5b6470"> {b.value === null ? "undefined" : b.ci}</tspan>
      </text>
    );
  };
  return (
    <div role="group" aria-label={ariaLabel}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
        <BarChart data={rows} layout="vertical" margin={{ top: 20, right: 8, bottom: 28, left: 4 }} barCategoryGap="22%">
          <defs>
            {rows.map((b) => (
              <pattern key={b.i} id={`${uid}-hatch-${b.i}`} patternUnits="userSpaceOnUse" width={6} height={6} patternTransform="rotate(45)">
                <rect width={6} height={6} fill={b.color} fillOpacity={0.3} />
                <line x1={0} y1={0} x2={0} y2={6} stroke={b.color} strokeWidth={3} />
              </pattern>
            ))}
          </defs>
          <CartesianGrid horizontal={false} stroke="#e6e9ee" />
          {band ? <ReferenceArea yAxisId="groups" x1={band[0]} x2={band[1]} fill={BAND_COLOR} fillOpacity={0.8} ifOverflow="hidden" /> : null}
          <XAxis type="number" domain={[0, domainMax]} tickCount={6} tick={{ fontSize: 11 }} tickFormatter={(v: number) => String(Number(v.toFixed(2)))} label={{ value: axisLabel, position: "insideBottom", offset: -16, fontSize: 12 }} />
          <YAxis yAxisId="groups" type="category" dataKey="short" width={yWidth} tick={groupTick} interval={0} />
          <YAxis yAxisId="values" orientation="right" type="category" dataKey="label" width={valueWidth} interval={0} axisLine={false} tickLine={false} tick={valueTick} />
          <Tooltip
            cursor={{ fill: "rgba(0,0,0,0.04)" }}
            formatter={(_v, _n, item) => {
              const b = item.payload as (typeof rows)[number];
              return [b.value === null ? `— (${b.reason})` : `${b.text}${b.ci ? ` ${b.ci}` : ""}`, axisLabel];
            }}
            labelFormatter={(l) => String(l)}
          />
          {guides.map((g) => (
            <ReferenceLine key={`${g.x}-${g.label}`} yAxisId="groups" x={g.x} stroke={GUIDE_COLOR} strokeWidth={1.5} strokeDasharray={g.dashed ? "5 4" : undefined} label={{ value: g.label, position: "top", fontSize: 11, fill: GUIDE_COLOR }} ifOverflow="extendDomain" />
          ))}
          <Bar yAxisId="groups" dataKey="plotted" isAnimationActive={false} maxBarSize={22}>
            {rows.map((b) => (
              <Cell key={b.i} fill={b.small ? `url(#${uid}-hatch-${b.i})` : b.color} fillOpacity={b.excluded ? 0.35 : 1} stroke={b.color} strokeWidth={b.small || b.excluded ? 1.5 : 0} strokeDasharray={b.excluded ? "3 2" : undefined} />
            ))}
            <ErrorBar dataKey="error" direction="x" width={6} stroke="#1b1f24" strokeWidth={1.3} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
