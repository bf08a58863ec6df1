"use client";
// Metrics across versions (recharts): pick the metrics to draw; one line per metric, x = version.

import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TrendOption } from "@/lib/views/compare";
import { fmtValue } from "@/lib/views/format";
import { groupColor } from "@/lib/views/palette";
import s from "../report.module.css";

export function TrendChart({ options, defaults, data, height = 320 }: { options: TrendOption[]; defaults: string[]; data: Array<Record<string, number | string | null>>; height?: number }) {
  const uid = useId();
  const [chosen, setChosen] = useState<string[]>(defaults);
  const toggle = (key: string) => setChosen((c) => (c.includes(key) ? c.filter((k) => k !== key) : [...c, key]));
  const lines = options.filter((o) => chosen.includes(o.key));
  return (
    <div>
      <fieldset style={{ border: "none", padding: 0, margin: "0 0 0.6rem" }}>
        <legend className={s.cardMeta} id={`${uid}-legend`}>
          Metrics to draw ({chosen.length} chosen)
        </legend>
        <div className={s.checkList}>
          {options.map((o) => (
            <label key={o.key}>
              <input type="checkbox" checked={chosen.includes(o.key)} onChange={() => toggle(o.key)} />
              {o.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div role="group" aria-label={`Trend across versions of ${lines.map((l) => l.label).join(", ") || "no metric"}`}>
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 720, height }}>
          <LineChart data={data} margin={{ top: 10, right: 30, bottom: 24, left: 10 }}>
            <CartesianGrid stroke="#e6e9ee" />
            <XAxis dataKey="version" padding={{ left: 40, right: 40 }} label={{ value: "Version (oldest first)", position: "insideBottom", offset: -14, fontSize: 12 }} />
            <YAxis tickFormatter={(v: number) => String(Number(v.toFixed(3)))} label={{ value: "Value", angle: -90, position: "insideLeft", fontSize: 12 }} />
            <Tooltip formatter={(v) => fmtValue(v === null || v === undefined ? null : Number(v))} />
            <Legend wrapperStyle={{ paddingTop: 28, fontSize: 12.5 }} />
            {lines.map((l) => (
              <Line key={l.key} type="linear" dataKey={l.key} name={l.label} stroke={groupColor(options.indexOf(l))} strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
