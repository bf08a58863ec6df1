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
            <LabelList dataKey="text" position="right" offset={8} fontSize={11.5} fill="#1b1f24" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
