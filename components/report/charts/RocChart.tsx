"use client";
// ROC curve (recharts): true positive rate against false positive rate, the chance diagonal and
// the operating point of the audit's threshold.

import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RocView } from "@/lib/views/performance";
import { GUIDE_COLOR, OKABE_ITO } from "@/lib/views/palette";
import { fmtValue } from "@/lib/views/format";

export function RocChart({ roc, height = 320 }: { roc: RocView; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 480, height }}>
      <LineChart data={roc.points} margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
        <CartesianGrid stroke="#e6e9ee" />
        <XAxis type="number" dataKey="fpr" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: "False positive rate (negatives wrongly selected)", position: "insideBottom", offset: -18 }} />
        <YAxis type="number" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} label={{ value: "True positive rate", angle: -90, position: "insideLeft", offset: 12, style: { textAnchor: "middle" } }} />
        <Tooltip formatter={(v) => fmtValue(Number(v))} labelFormatter={(l) => `False positive rate ${fmtValue(Number(l))}`} />
        <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 6, fontSize: 12.5 }} />
        <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke={GUIDE_COLOR} strokeDasharray="4 4" ifOverflow="extendDomain" />
        <Line type="linear" dataKey="tpr" name={`ROC curve (AUC ${roc.auc})`} stroke={OKABE_ITO.blue} strokeWidth={2} dot={false} isAnimationActive={false} />
        {roc.operating ? (
          <ReferenceDot x={roc.operating.fpr} y={roc.operating.tpr} r={6} fill={OKABE_ITO.vermillion} stroke="#fff" />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}
