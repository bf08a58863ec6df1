// SHAP beeswarm (d3 scales, SVG by React; no state, so it renders on the server): one row per
// feature, most important on top; one dot per explained row at x = its SHAP value, coloured by
// the feature's value from low (blue) to high (vermillion); categories ranked by their mean effect.

import { scaleLinear } from "d3";
import type { BeeswarmView } from "@/lib/views/explanations";
import { fmtValue } from "@/lib/views/format";
import { GUIDE_COLOR, LOW_HIGH, lowHighColor, MISSING_COLOR } from "@/lib/views/palette";
import s from "./report.module.css";

export function Beeswarm({ view }: { view: BeeswarmView }) {
  const width = 1000;
  const left = 16 + Math.min(180, Math.max(...view.features.map((f) => f.feature.length), 4) * 7.5);
  const right = 20;
  const rowH = 38;
  const top = 10;
  const height = top + rowH * view.features.length + 46;
  const x = scaleLinear().domain(view.domain).nice().range([left, width - right]);
  const r = 2.6;
  const spread = (maxOffset: number) => (maxOffset > 0 ? Math.min(2 * r, (rowH / 2 - r - 1) / maxOffset) : 0);
  const ticks = x.ticks(8);
  return (
    <div>
      <svg className={s.svg} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`SHAP values of ${view.features.length} features for each explained row`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top} y2={top + rowH * view.features.length} stroke={t === 0 ? GUIDE_COLOR : "#e6e9ee"} strokeWidth={t === 0 ? 1.2 : 1} />
            <text x={x(t)} y={top + rowH * view.features.length + 16} textAnchor="middle" fontSize={11} fill="#5b6470">
              {Number(t.toFixed(3))}
            </text>
          </g>
        ))}
        <text x={(left + width - right) / 2} y={height - 8} textAnchor="middle" fontSize={12} fill="#1b1f24">
          {view.axisLabel}: ← lowers · raises →
        </text>
        {view.features.map((f, i) => {
          const cy = top + rowH * i + rowH / 2;
          const dy = spread(f.maxOffset);
          return (
            <g key={f.feature}>
              {i > 0 ? <line x1={left} x2={width - right} y1={top + rowH * i} y2={top + rowH * i} stroke="#f0f2f5" /> : null}
              <text x={left - 8} y={cy + 4} textAnchor="end" fontSize={12}>
                {f.feature}
              </text>
              {f.dots.map((d) => (
                <circle key={d.index} cx={x(d.phi)} cy={cy + d.offset * dy} r={r} fill={lowHighColor(d.t)} fillOpacity={0.85}>
                  <title>{`${f.feature} = ${d.valueText}: SHAP ${fmtValue(d.phi)} (data row ${d.row})`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <div className={s.legend}>
        <span>
          feature value: low
          <span className={s.gradient} style={{ background: `linear-gradient(to right, ${LOW_HIGH.join(", ")})` }} />
          high
        </span>
        <span>
          <span className={s.swatch} style={{ background: MISSING_COLOR }} />
          missing
        </span>
        <span>categorical columns: categories ordered from the lowest to the highest average effect (hover a dot for its value)</span>
      </div>
    </div>
  );
}
