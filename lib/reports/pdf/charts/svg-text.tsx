// Text inside an SVG drawing. react-pdf's Text doubles as the SVG text element, but its types
// only describe the page-flow variant, so this wrapper gives SVG text a typed surface.

import type { ComponentType, ReactNode } from "react";
import type { Kit } from "../kit";
import { COLOR, FONT, SIZE } from "../theme";

export interface SvgTextProps {
  x: number;
  y: number;
  anchor?: "start" | "middle" | "end";
  size?: number;
  color?: string;
  bold?: boolean;
  transform?: string;
  children: ReactNode;
}

export function SvgText({ kit, x, y, anchor = "start", size = SIZE.chart, color = COLOR.muted, bold = false, transform, children }: SvgTextProps & { kit: Kit }) {
  const T = kit.pdf.Text as unknown as ComponentType<Record<string, unknown>>;
  return (
    <T x={x} y={y} textAnchor={anchor} fill={color} {...(transform ? { transform } : {})} style={{ fontSize: size, fontFamily: FONT.sans, fontWeight: bold ? "bold" : "normal" }}>
      {children}
    </T>
  );
}
