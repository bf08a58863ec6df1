"use client";
// Intersection heat map (d3 scales, SVG by React): rows = values of the first attribute, columns =
// values of the second, colour = the chosen rate (viridis, fixed 0–1 so maps compare), the value
// and n in each cell; small groups hatched and labelled, excluded groups outlined, undefined grey.

import { useId, useState } from "react";
import { scaleBand } from "d3";
import type { HeatmapView } from "@/lib/views/fairness";
import { fmtCount, fmtValue } from "@/lib/views/format";
import { MISSING_COLOR, sequentialColor, textColorOn, VIRIDIS } from "@/lib/views/palette";
import s from "../report.module.css";

export function IntersectionHeatmap({ view, initialRate = "selection_rate" }: { view: HeatmapView; initialRate?: string }) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const [rate, setRate] = useState(initialRate);
  const rateInfo = view.rates.find((r) => r.id === rate) ?? view.rates[0]!;
  const cellW = 120;
  const cellH = 58;
  const left = 16 + Math.min(200, Math.max(...view.rows.map((r) => r.length), 4) * 7.5);
  // the two axis captions on their own lines, then the column labels: nothing overlaps
  const top = 62;
  const fit = (t: string, px: number) => (t.length * 7 <= px ? t : `${t.slice(0, Math.max(1, Math.floor(px / 7) - 1))}…`);
  const width = left + cellW * view.cols.length + 10;
  const height = top + cellH * view.rows.length + 10;
  const x = scaleBand<string>().domain(view.cols).range([left, left + cellW * view.cols.length]).paddingInner(0.06);
  const y = scaleBand<string>().domain(view.rows).range([top, top + cellH * view.rows.length]).paddingInner(0.08);
  const gradient = `linear-gradient(to right, ${VIRIDIS.join(", ")})`;
  return (
    <div>
      <div className={s.controls}>
        <label htmlFor={`${uid}-rate`}>Colour by</label>
        <select id={`${uid}-rate`} value={rateInfo.id} onChange={(e) => setRate(e.target.value)}>
          {view.rates.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <span className={s.cardMeta}>{rateInfo.explanation}</span>
      </div>
      <svg className={s.svg} viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: width }} role="img" aria-label={`${rateInfo.label} by ${view.rowColumn} and ${view.colColumn}`}>
        <defs>
          <pattern id={`${uid}-hatch`} patternUnits="userSpaceOnUse" width={7} height={7} patternTransform="rotate(45)">
            <line x1={0} y1={0} x2={0} y2={7} stroke="#ffffff" strokeOpacity={0.55} strokeWidth={2.5} />
          </pattern>
        </defs>
        <text x={4} y={14} fontSize={12} fill="#5b6470">
          rows: {view.rowColumn}
        </text>
        <text x={left} y={32} fontSize={12} fill="#5b6470">
          columns: {view.colColumn}
        </text>
        {view.cols.map((c) => (
          <text key={c} x={(x(c) ?? 0) + x.bandwidth() / 2} y={top - 8} textAnchor="middle" fontSize={12} fontWeight={600}>
            <title>{c}</title>
            {fit(c, x.bandwidth() - 4)}
          </text>
        ))}
        {view.rows.map((r) => (
          <text key={r} x={left - 8} y={(y(r) ?? 0) + y.bandwidth() / 2 + 4} textAnchor="end" fontSize={12} fontWeight={600}>
            <title>{r}</title>
            {fit(r, left - 12)}
          </text>
        ))}
        {view.rows.flatMap((r) =>
          view.cols.map((c) => {
            const cell = view.cells.find((k) => k.row === r && k.col === c);
            const cx = x(c) ?? 0;
            const cy = y(r) ?? 0;
            if (!cell) {
              return (
                <g key={`${r}|${c}`}>
                  <rect x={cx} y={cy} width={x.bandwidth()} height={y.bandwidth()} fill="#ffffff" stroke="#d8dde3" strokeDasharray="3 3" />
                  <text x={cx + x.bandwidth() / 2} y={cy + y.bandwidth() / 2 + 4} textAnchor="middle" fontSize={11} fill="#5b6470">
                    no rows
                  </text>
                </g>
              );
            }
            const v = cell.values[rateInfo.id] ?? null;
            const fill = v === null ? MISSING_COLOR : sequentialColor(v);
            const ink = textColorOn(fill);
            const note = [cell.small ? "small" : "", cell.excluded ? "excluded" : ""].filter(Boolean).join(", ");
            return (
              <g key={`${r}|${c}`} data-small={cell.small || undefined}>
                <title>{`${cell.group}: ${rateInfo.label} ${v === null ? "undefined" : fmtValue(v)}, n = ${fmtCount(cell.n)}${note ? ` (${note})` : ""}`}</title>
                <rect x={cx} y={cy} width={x.bandwidth()} height={y.bandwidth()} fill={fill} rx={3} stroke={cell.excluded ? "#A33F00" : "none"} strokeWidth={2} strokeDasharray={cell.excluded ? "4 3" : undefined} />
                {cell.small ? <rect x={cx} y={cy} width={x.bandwidth()} height={y.bandwidth()} fill={`url(#${uid}-hatch)`} rx={3} /> : null}
                <text x={cx + x.bandwidth() / 2} y={cy + 22} textAnchor="middle" fontSize={15} fontWeight={700} fill={ink}>
                  {v === null ? "—" : fmtValue(v)}
                </text>
                <text x={cx + x.bandwidth() / 2} y={cy + 40} textAnchor="middle" fontSize={11} fill={ink}>
                  n = {fmtCount(cell.n)}
                  {note ? ` · ${note}` : ""}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <div className={s.legend}>
        <span>
          0<span className={s.gradient} style={{ background: gradient }} />1
        </span>
        <span>
          <span className={s.swatch} style={{ background: MISSING_COLOR }} />
          undefined (—)
        </span>
        <span>hatched: small group (n &lt; 30), read with care</span>
        <span>dashed outline: excluded from comparisons</span>
      </div>
    </div>
  );
}
