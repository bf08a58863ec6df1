"use client";
// Feature importance bars (recharts), largest first, with whiskers (± std or ± 1.96·se).

import { Bar, BarChart, CartesianGrid, ErrorBar, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ImportanceBar } from "@/lib/views/explanations";
import { OKABE_ITO } from "@/lib/views/palette";

export function ImportanceChart({ bars, axisLabel, ariaLabel }: { bars: ImportanceBar[]; axisLabel: string; ariaLabel: string }) {
  const height = bars.length * 30 + 70;
  const yWidth = Math.min(200, 16 + Math.max(...bars.map((b) => b.feature.length), 4) * 7.2);
  return (
    <div role="group" aria-label={ariaLabel}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 520, height }}>
        <BarChart data={bars} layout="vertical" margin={{ top: 6, right: 110, bottom: 28, left: 4 }} barCategoryGap="20%">
          <CartesianGrid horizontal={false} stroke="#e6e9ee" />
          <XAxis type="number" tickCount={6} tickFormatter={(v: number) => String(Number(v.toFixed(3)))} label={{ value: axisLabel, position: "insideBottom", offset: -16, fontSize: 12 }} />
          <YAxis type="category" dataKey="feature" width={yWidth} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(_v, _n, item) => [(item.payload as ImportanceBar).text, axisLabel]} cursor={{ fill: "rgba(0,0,0,0.04)" }} />
          <Bar dataKey="value" fill={OKABE_ITO.blue} isAnimationActive={false} maxBarSize={20}>
            <ErrorBar dataKey="error" direction="x" width={6} stroke="#1b1f24" strokeWidth={1.3} />
            <LabelList dataKey="text" content={(p) => <ValueLabel {...(p as LabelProps)} bars={bars} />} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

interface LabelProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  index?: number;
}

/** The value, written past the end of the whisker (not across it): the bar's own pixels per unit
 *  turn the whisker's length into pixels. */
function ValueLabel({ x, y, width, height, index, bars }: LabelProps & { bars: ImportanceBar[] }) {
  const b = bars[index ?? 0];
  if (!b) return null;
  const [bx, by, bw, bh] = [Number(x ?? 0), Number(y ?? 0), Number(width ?? 0), Number(height ?? 0)];
  const pxPerUnit = Math.abs(b.value) > 1e-12 ? Math.abs(bw) / Math.abs(b.value) : 0;
  const barEnd = Math.max(bx, bx + bw);
  // a negative value's bar ends at zero on the right; its whisker reaches value + error from its left end
  const whiskerEnd = b.value >= 0 ? barEnd + b.error[1] * pxPerUnit : Math.max(barEnd, Math.min(bx, bx + bw) + b.error[1] * pxPerUnit);
  return (
    <text x={whiskerEnd + 6} y={by + bh / 2 + 4} fontSize={11.5} fill="#1b1f24">
      {b.text}
    </text>
  );
}
