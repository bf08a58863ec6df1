// The PDF's look: A4 geometry, one type scale, restrained colours (greys and one accent) and the
// dashboards' status and group colours (lib/views/palette.ts). Numbers only, no renderer.

import { GUIDE_COLOR, STATUS_COLORS } from "../../views/palette";

export const PAGE = {
  width: 595.28,
  height: 841.89,
  marginX: 54,
  marginTop: 66,
  marginBottom: 62,
  /** Baselines of the running header and the footer. */
  headerTop: 28,
  footerBottom: 28,
} as const;

export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

export const FONT = {
  sans: "DejaVu Sans",
  mono: "DejaVu Sans Mono",
} as const;

/** Type scale in points. */
export const SIZE = {
  coverTitle: 24,
  h1: 16,
  h2: 11.5,
  h3: 9.5,
  body: 8.8,
  table: 7.6,
  small: 7,
  tiny: 6.3,
  chart: 6.6,
} as const;

export const COLOR = {
  ink: "#111827",
  text: "#1F2937",
  muted: "#4B5563",
  faint: "#6B7280",
  rule: "#C9CED6",
  hairline: "#E3E6EB",
  headerFill: "#F1F3F6",
  zebra: "#FAFBFC",
  accent: "#1D4E79",
  accentLight: "#E6EEF5",
  guide: GUIDE_COLOR,
  pass: STATUS_COLORS.pass,
  fail: STATUS_COLORS.fail,
  warn: STATUS_COLORS.warn,
  neutral: STATUS_COLORS.neutral,
  info: STATUS_COLORS.info,
} as const;
