"use client";
// Calibration (recharts): observed positive rate against the mean predicted probability per bin;
// a well-calibrated model follows the diagonal.

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CalibrationPoint } from "@/lib/views/performance";
import { GUIDE_COLOR, OKABE_ITO } from "@/lib/views/palette";
import { fmtCount, fmtValue } from "@/lib/views/format";

export function CalibrationChart({ points, height = 320 }: { points: CalibrationPoint[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
      <LineChart data={points} margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
        <CartesianGrid stroke="#e6e9ee" />
        <XAxis type="number" dataKey="meanScore" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: "Mean predicted probability in the bin", position: "insideBottom", offset: -18 }} />
        <YAxis type="number" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: "Observed positive rate", angle: -90, position: "insideLeft", offset: 12, style: { textAnchor: "middle" } }} />
        <Tooltip
          formatter={(v) => fmtValue(Number(v))}
          labelFormatter={(_l, p) => {
            const d = p?.[0]?.payload as CalibrationPoint | undefined;
            return d ? `Scores ${d.bin}: ${fmtCount(d.count)} rows, mean score ${fmtValue(d.meanScore)}` : "";
          }}
        />
        <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 6, fontSize: 12.5 }} />
        <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke={GUIDE_COLOR} strokeDasharray="4 4" />
        <Line type="linear" dataKey="observedRate" name="Observed rate per score bin" stroke={OKABE_ITO.blue} strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
