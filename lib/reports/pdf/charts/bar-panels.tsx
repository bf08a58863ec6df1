// Horizontal bar charts as small multiples: one row per group (or feature), labels on the
// left, one or more panels side by side (e.g. selection rate, impact ratio, TPR, FPR), each
// with its own axis, whiskers for intervals, reference lines (0.8, the reference group) and an
// optional shaded band (the Aequitas pass band). Drawn as vector SVG with d3 scales.

import type { Kit } from "../kit";
import { BAND_COLOR } from "../../../views/palette";
import { COLOR, SIZE } from "../theme";
import { fitLabel } from "../model/text";
import { barChartHeight, panelBox, tickLabel, verticalLinesPath, whiskerPath, type BarValue } from "./geometry";
import { SvgText } from "./svg-text";

export interface BarPanel {
  title: string;
  domain: [number, number];
  bars: Array<BarValue & { color: string }>;
  refLines?: Array<{ x: number; color?: string; dashed?: boolean }>;
  band?: [number, number] | null;
  ticks?: number;
}

const TOP = 14;
const BOTTOM = 16;

export function BarPanels({ kit, labels, panels, width, labelWidth = 110, rowHeight = 13, gap = 12 }: { kit: Kit; labels: string[]; panels: BarPanel[]; width: number; labelWidth?: number; rowHeight?: number; gap?: number }) {
  const { Svg, Rect, Line, Path } = kit.pdf;
  const height = barChartHeight(labels.length, rowHeight, TOP, BOTTOM);
  const plotBottom = TOP + labels.length * rowHeight;
  const barH = Math.min(8, rowHeight * 0.58);
  const labelSize = Math.min(SIZE.chart, rowHeight * 0.72);
  return (
    <Svg width={width} height={height}>
      {labels.map((_, r) =>
        r % 2 === 1 ? <Rect key={`z${r}`} x={0} y={TOP + r * rowHeight} width={width} height={rowHeight} fill="#F6F7F9" /> : null,
      )}
      {labels.map((l, r) => (
        <SvgText key={`l${r}`} kit={kit} x={labelWidth - 6} y={TOP + r * rowHeight + rowHeight / 2 + labelSize * 0.35} anchor="end" color={COLOR.text} size={labelSize}>
          {fitLabel(l, labelWidth - 8, labelSize)}
        </SvgText>
      ))}
      {panels.flatMap((p, i) => {
        const box = panelBox(i, panels.length, labelWidth, width - 5, gap);
        const x = kit.d3.scaleLinear().domain(p.domain).nice(p.ticks ?? 4).range([box.x, box.x + box.width]);
        const ticks = x.ticks(p.ticks ?? 4);
        const [d0, d1] = x.domain() as [number, number];
        const zero = x(Math.max(d0, Math.min(d1, 0)));
        const whiskers = p.bars
          .map((b, r) => (b.value !== null && b.error ? whiskerPath(x(b.value - b.error[0]), x(b.value + b.error[1]), TOP + r * rowHeight + rowHeight / 2, 2.2) : ""))
          .join("");
        return [
          <SvgText key={`p${i}t`} kit={kit} x={box.x} y={TOP - 5} bold color={COLOR.ink} size={SIZE.chart + 0.4}>
            {p.title}
          </SvgText>,
          p.band ? <Rect key={`p${i}b`} x={x(p.band[0])} y={TOP} width={Math.max(0, x(p.band[1]) - x(p.band[0]))} height={plotBottom - TOP} fill={BAND_COLOR} /> : null,
          <Path key={`p${i}g`} d={verticalLinesPath(ticks.map((t) => x(t)), TOP, plotBottom)} stroke={COLOR.hairline} strokeWidth={0.5} />,
          <Path key={`p${i}k`} d={verticalLinesPath(ticks.map((t) => x(t)), plotBottom, plotBottom + 2.5)} stroke={COLOR.muted} strokeWidth={0.5} />,
          ...ticks.map((t, k) => (
            <SvgText key={`p${i}n${k}`} kit={kit} x={x(t)} y={plotBottom + 9} anchor="middle" size={SIZE.chart - 0.4}>
              {tickLabel(t)}
            </SvgText>
          )),
          <Line key={`p${i}a`} x1={box.x} x2={box.x + box.width} y1={plotBottom} y2={plotBottom} stroke={COLOR.muted} strokeWidth={0.6} />,
          ...p.bars.map((b, r) => {
            const cy = TOP + r * rowHeight + rowHeight / 2;
            if (b.value === null) {
              return (
                <SvgText key={`p${i}r${r}`} kit={kit} x={zero + 3} y={cy + 2.3} size={SIZE.chart - 0.4} color={COLOR.faint}>
                  — undefined
                </SvgText>
              );
            }
            const xv = x(b.value);
            return <Rect key={`p${i}r${r}`} x={Math.min(zero, xv)} y={cy - barH / 2} width={Math.max(0.6, Math.abs(xv - zero))} height={barH} fill={b.color} />;
          }),
          whiskers ? <Path key={`p${i}w`} d={whiskers} stroke={COLOR.ink} strokeWidth={0.7} /> : null,
          ...(p.refLines ?? []).map((l, k) => (
            <Line key={`p${i}l${k}`} x1={x(l.x)} x2={x(l.x)} y1={TOP - 1} y2={plotBottom} stroke={l.color ?? COLOR.guide} strokeWidth={0.9} {...(l.dashed === false ? {} : { strokeDasharray: "2.5,1.8" })} />
          )),
          <Line key={`p${i}z`} x1={zero} x2={zero} y1={TOP} y2={plotBottom} stroke={COLOR.muted} strokeWidth={0.6} />,
        ];
      })}
    </Svg>
  );
}
