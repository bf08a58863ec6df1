// Line and scatter charts on linear axes (ROC curve, calibration, flip rate against the attack
// budget ε, per-group flip rates): axes with ticks and labels, an optional diagonal, reference
// lines, series as lines with optional markers, and highlighted dots. Vector SVG, d3 scales.

import type { Kit } from "../kit";
import { COLOR, SIZE } from "../theme";
import { dotsPath, horizontalLinesPath, tickLabel, verticalLinesPath } from "./geometry";
import { SvgText } from "./svg-text";

export interface XYSeries {
  name: string;
  color: string;
  points: Array<{ x: number; y: number | null }>;
  dashed?: boolean;
  markers?: boolean;
  width?: number;
}

export interface XYChartProps {
  width: number;
  height: number;
  x: { domain: [number, number]; label: string; ticks?: number[] };
  y: { domain: [number, number]; label: string; ticks?: number[] };
  series: XYSeries[];
  diagonal?: boolean;
  refLines?: Array<{ axis: "x" | "y"; value: number; color?: string; label?: string }>;
  dots?: Array<{ x: number; y: number; color: string; r?: number }>;
}

const M = { left: 34, right: 8, top: 8, bottom: 26 };

export function XYChart({ kit, width, height, x: xa, y: ya, series, diagonal = false, refLines = [], dots = [] }: XYChartProps & { kit: Kit }) {
  const { Svg, Line, Path, Circle, G, Rect } = kit.pdf;
  const x = kit.d3.scaleLinear().domain(xa.domain).range([M.left, width - M.right]);
  const y = kit.d3.scaleLinear().domain(ya.domain).range([height - M.bottom, M.top]);
  const xt = xa.ticks ?? x.ticks(5);
  const yt = ya.ticks ?? y.ticks(5);
  const line = kit.d3
    .line<{ x: number; y: number | null }>()
    .defined((p) => p.y !== null)
    .x((p) => x(p.x))
    .y((p) => y(p.y ?? 0));
  const bottom = height - M.bottom;
  return (
    <Svg width={width} height={height}>
      <Rect x={M.left} y={M.top} width={width - M.left - M.right} height={bottom - M.top} fill="#FFFFFF" stroke={COLOR.rule} strokeWidth={0.5} />
      <Path d={horizontalLinesPath(yt.map((t) => y(t)), M.left, width - M.right)} stroke={COLOR.hairline} strokeWidth={0.5} />
      <Path d={verticalLinesPath(xt.map((t) => x(t)), M.top, bottom)} stroke={COLOR.hairline} strokeWidth={0.5} />
      {yt.map((t, k) => (
        <SvgText key={`y${k}`} kit={kit} x={M.left - 3} y={y(t) + 2.2} anchor="end" size={SIZE.chart - 0.4}>
          {tickLabel(t)}
        </SvgText>
      ))}
      {xt.map((t, k) => (
        <SvgText key={`x${k}`} kit={kit} x={x(t)} y={bottom + 9} anchor="middle" size={SIZE.chart - 0.4}>
          {tickLabel(t)}
        </SvgText>
      ))}
      <SvgText kit={kit} x={(M.left + width - M.right) / 2} y={height - 4} anchor="middle" color={COLOR.text}>
        {xa.label}
      </SvgText>
      <SvgText kit={kit} x={9} y={(M.top + bottom) / 2} anchor="middle" color={COLOR.text} transform={`rotate(-90, 9, ${(M.top + bottom) / 2})`}>
        {ya.label}
      </SvgText>
      {diagonal ? <Line x1={x(xa.domain[0])} y1={y(ya.domain[0])} x2={x(xa.domain[1])} y2={y(ya.domain[1])} stroke={COLOR.guide} strokeWidth={0.7} strokeDasharray="3,2" /> : null}
      {refLines.map((l, k) =>
        l.axis === "y" ? (
          <G key={`r${k}`}>
            <Line x1={M.left} x2={width - M.right} y1={y(l.value)} y2={y(l.value)} stroke={l.color ?? COLOR.guide} strokeWidth={0.8} strokeDasharray="3,2" />
            {l.label ? (
              <SvgText kit={kit} x={width - M.right - 2} y={y(l.value) - 2.5} anchor="end" size={SIZE.chart - 0.6} color={l.color ?? COLOR.guide}>
                {l.label}
              </SvgText>
            ) : null}
          </G>
        ) : (
          <Line key={`r${k}`} x1={x(l.value)} x2={x(l.value)} y1={M.top} y2={bottom} stroke={l.color ?? COLOR.guide} strokeWidth={0.8} strokeDasharray="3,2" />
        ),
      )}
      {series.filter((s) => s.points.length > 0).map((s, k) => (
        <G key={`s${k}`}>
          <Path d={line(s.points) || `M${x(s.points[0]!.x)} ${y(s.points[0]!.y ?? 0)}`} stroke={s.color} strokeWidth={s.width ?? 1.3} fill="none" {...(s.dashed ? { strokeDasharray: "3,2" } : {})} />
          {s.markers ? <Path d={dotsPath(s.points.flatMap((p) => (p.y === null ? [] : [[x(p.x), y(p.y)] as const])), 2.2)} fill={s.color} /> : null}
        </G>
      ))}
      {dots.map((d, k) => (
        <Circle key={`d${k}`} cx={x(d.x)} cy={y(d.y)} r={d.r ?? 3} fill={d.color} stroke="#FFFFFF" strokeWidth={0.8} />
      ))}
    </Svg>
  );
}
