// Building blocks of the document: the page frame (running header, "Page n of N" footer),
// headings that record their page for the table of contents and the PDF outline, paragraphs,
// key-value blocks, tables whose rows never split and whose header repeats on every page,
// status tags, notes and legends. Layout only: every string arrives finished.

import type { ReactNode } from "react";
import type { Kit } from "../kit";
import { COLOR, FONT, PAGE, SIZE } from "../theme";

type Status = "pass" | "fail" | "warn" | "neutral" | "info";

export const text = {
  body: { fontSize: SIZE.body, lineHeight: 1.45, color: COLOR.text },
  small: { fontSize: SIZE.small, lineHeight: 1.4, color: COLOR.muted },
  mono: { fontFamily: FONT.mono },
};

export function PageFrame({ kit, header, children }: { kit: Kit; header: { left: string; right: string }; children: ReactNode }) {
  const { Page, View, Text } = kit.pdf;
  return (
    <Page
      size="A4"
      wrap
      style={{ fontFamily: FONT.sans, fontSize: SIZE.body, color: COLOR.text, paddingTop: PAGE.marginTop, paddingBottom: PAGE.marginBottom, paddingHorizontal: PAGE.marginX }}
    >
      <View fixed style={{ position: "absolute", top: PAGE.headerTop, left: PAGE.marginX, right: PAGE.marginX, flexDirection: "row", justifyContent: "space-between", borderBottom: `0.5pt solid ${COLOR.rule}`, paddingBottom: 4 }}>
        <Text style={{ fontSize: SIZE.tiny, color: COLOR.muted, maxWidth: 290 }}>{header.left}</Text>
        <Text style={{ fontSize: SIZE.tiny, color: COLOR.muted, fontFamily: FONT.mono }}>{header.right}</Text>
      </View>
      <View fixed style={{ position: "absolute", bottom: PAGE.footerBottom, left: PAGE.marginX, right: PAGE.marginX, flexDirection: "row", justifyContent: "space-between", borderTop: `0.5pt solid ${COLOR.rule}`, paddingTop: 4 }}>
        <Text style={{ fontSize: SIZE.tiny, color: COLOR.faint }}>Assay model audit · generated from the stored report; numbers are not recomputed</Text>
        <Text style={{ fontSize: SIZE.tiny, color: COLOR.muted }} render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages ?? pageNumber}`} />
      </View>
      {children}
    </Page>
  );
}

/**
 * Props that put an element into the PDF's outline (bookmarks panel). The renderer honours
 * `bookmark` on any element; its types list it only for pages.
 */
export function bookmark(title: string): object {
  return { bookmark: { title, fit: true } };
}

/** Zero-size text that records the page it lands on (table of contents). */
export function Marker({ kit, id }: { kit: Kit; id: string }) {
  const { Text } = kit.pdf;
  return (
    <Text
      style={{ position: "absolute", top: 0, left: 0, fontSize: 1, color: "#FFFFFF" }}
      render={({ pageNumber }) => {
        kit.marks.set(id, pageNumber);
        return "";
      }}
    />
  );
}

export function SectionTitle({ kit, id, number, title, intro }: { kit: Kit; id: string; number: string; title: string; intro?: string }) {
  const { View, Text } = kit.pdf;
  return (
    <View id={id} {...bookmark(`${number} ${title}`)} wrap={false} minPresenceAhead={80} style={{ marginBottom: 10 }}>
      <Marker kit={kit} id={id} />
      <View style={{ flexDirection: "row", alignItems: "flex-end", borderBottom: `1.2pt solid ${COLOR.accent}`, paddingBottom: 4 }}>
        <Text style={{ fontSize: SIZE.h1, fontWeight: "bold", color: COLOR.accent, width: 34 }}>{number}</Text>
        <Text style={{ fontSize: SIZE.h1, fontWeight: "bold", color: COLOR.ink, flex: 1 }}>{title}</Text>
      </View>
      {intro ? <Text style={{ ...text.body, color: COLOR.muted, marginTop: 6 }}>{intro}</Text> : null}
    </View>
  );
}

export function SubTitle({ kit, id, number, title, outline = true }: { kit: Kit; id?: string; number?: string; title: string; outline?: boolean }) {
  const { View, Text } = kit.pdf;
  return (
    <View
      {...(id ? { id } : {})}
      {...(id && outline ? bookmark(`${number ? `${number} ` : ""}${title}`) : {})}
      wrap={false}
      minPresenceAhead={70}
      style={{ marginTop: 12, marginBottom: 6 }}
    >
      {id ? <Marker kit={kit} id={id} /> : null}
      <Text style={{ fontSize: SIZE.h2, fontWeight: "bold", color: COLOR.ink }}>
        {number ? <Text style={{ color: COLOR.accent }}>{`${number}  `}</Text> : null}
        {title}
      </Text>
    </View>
  );
}

export function H3({ kit, children, first = false }: { kit: Kit; children: ReactNode; first?: boolean }) {
  const { Text } = kit.pdf;
  return <Text minPresenceAhead={50} style={{ fontSize: SIZE.h3, fontWeight: "bold", color: COLOR.ink, marginTop: first ? 2 : 10, marginBottom: 4 }}>{children}</Text>;
}

export function P({ kit, children, muted = false, small = false, space = 5 }: { kit: Kit; children: ReactNode; muted?: boolean; small?: boolean; space?: number }) {
  const { Text } = kit.pdf;
  return <Text style={{ ...(small ? text.small : text.body), ...(muted ? { color: COLOR.muted } : {}), marginBottom: space }}>{children}</Text>;
}

export function Bullets({ kit, items, small = false }: { kit: Kit; items: string[]; small?: boolean }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ marginBottom: 4 }}>
      {items.map((item, i) => (
        <View key={i} wrap={false} style={{ flexDirection: "row", marginBottom: 2 }}>
          <Text style={{ ...(small ? text.small : text.body), width: 10 }}>•</Text>
          <Text style={{ ...(small ? text.small : text.body), flex: 1 }}>{item}</Text>
        </View>
      ))}
    </View>
  );
}

export interface KV {
  label: string;
  value: string;
  mono?: boolean;
  detail?: string;
}

export function KeyValues({ kit, rows, labelWidth = 120, size = SIZE.table }: { kit: Kit; rows: KV[]; labelWidth?: number; size?: number }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ marginBottom: 6 }}>
      {rows.map((r, i) => (
        <View key={i} wrap={false} style={{ flexDirection: "row", paddingTop: 2.6, paddingBottom: 2.6, ...ROW_RULE }}>
          <Text style={{ width: labelWidth, fontSize: size, color: COLOR.muted, paddingRight: 6 }}>{r.label}</Text>
          <Text style={{ flex: 1, fontSize: r.mono ? size - 0.4 : size, color: COLOR.ink, ...(r.mono ? text.mono : {}) }}>
            {r.value}
            {r.detail ? <Text style={{ fontSize: SIZE.tiny, color: COLOR.faint, fontFamily: FONT.sans }}>{`\n${r.detail}`}</Text> : null}
          </Text>
        </View>
      ))}
    </View>
  );
}

export interface Column {
  title: string;
  /** Fixed width in points; without it the column shares the rest (flex). */
  width?: number;
  flex?: number;
  align?: "left" | "right" | "center";
}

export interface RichCell {
  text: string;
  /** Second line in small muted type (a confidence interval, an id). */
  sub?: string;
  color?: string;
  bold?: boolean;
  mono?: boolean;
  /** Render as a PASS/FAIL style tag. */
  tag?: Status;
}

export type Cell = string | RichCell;

function cellStyle(c: Column) {
  return c.width !== undefined ? { width: c.width } : { flexGrow: c.flex ?? 1, flexShrink: 1, flexBasis: 0 };
}

/** Cell padding and row rules as longhand properties: the renderer parses shorthands per node. */
const CELL_PAD = { paddingTop: 3, paddingBottom: 3, paddingLeft: 3, paddingRight: 3 };
const ROW_RULE = { borderBottomWidth: 0.4, borderBottomColor: COLOR.hairline, borderBottomStyle: "solid" as const };

export function Table({ kit, columns, rows, size = SIZE.table, zebra = true, rowKeys }: { kit: Kit; columns: Column[]; rows: Cell[][]; size?: number; zebra?: boolean; rowKeys?: string[] }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ marginBottom: 8, borderTop: `0.8pt solid ${COLOR.ink}` }}>
      <View fixed minPresenceAhead={30} style={{ flexDirection: "row", backgroundColor: COLOR.headerFill, borderBottom: `0.6pt solid ${COLOR.rule}` }}>
        {columns.map((c, i) => (
          <Text key={i} style={{ ...cellStyle(c), fontSize: size - 0.4, fontWeight: "bold", color: COLOR.ink, paddingVertical: 3.5, paddingHorizontal: 3.5, textAlign: c.align ?? "left" }}>
            {c.title}
          </Text>
        ))}
      </View>
      {rows.map((row, r) => (
        <View key={rowKeys?.[r] ?? r} wrap={false} style={{ flexDirection: "row", ...ROW_RULE, ...(zebra && r % 2 === 1 ? { backgroundColor: COLOR.zebra } : {}) }}>
          {columns.map((c, i) => {
            const cell = row[i] ?? "";
            const rc: RichCell = typeof cell === "string" ? { text: cell } : cell;
            if (rc.tag) {
              return (
                <View key={i} style={{ ...cellStyle(c), ...CELL_PAD, alignItems: c.align === "right" ? "flex-end" : c.align === "center" ? "center" : "flex-start" }}>
                  <Tag kit={kit} status={rc.tag} label={rc.text} size={size - 0.6} />
                </View>
              );
            }
            return (
              <Text
                key={i}
                style={{ ...cellStyle(c), ...CELL_PAD, fontSize: rc.mono ? size - 0.5 : size, lineHeight: 1.3, color: rc.color ?? COLOR.text, ...(rc.bold ? { fontWeight: "bold" as const } : {}), ...(c.align && c.align !== "left" ? { textAlign: c.align } : {}), ...(rc.mono ? text.mono : {}) }}
              >
                {rc.text}
                {rc.sub ? <Text style={{ fontSize: SIZE.tiny, color: COLOR.faint, fontWeight: "normal", fontFamily: FONT.sans }}>{`\n${rc.sub}`}</Text> : null}
              </Text>
            );
          })}
        </View>
      ))}
    </View>
  );
}

export function Tag({ kit, status, label, size = SIZE.small }: { kit: Kit; status: Status; label: string; size?: number }) {
  const { Text } = kit.pdf;
  const c = COLOR[status];
  return <Text style={{ fontSize: size, fontWeight: "bold", color: c.text, backgroundColor: c.background, paddingHorizontal: 3, paddingTop: 1.2, paddingBottom: 0.6, borderRadius: 2 }}>{label}</Text>;
}

export function Note({ kit, tone = "neutral", title, children }: { kit: Kit; tone?: Status; title?: string; children: ReactNode }) {
  const { View, Text } = kit.pdf;
  const c = COLOR[tone];
  return (
    <View wrap={false} style={{ backgroundColor: c.background, borderLeft: `2.5pt solid ${c.fill}`, paddingVertical: 6, paddingHorizontal: 8, marginBottom: 8 }}>
      {title ? <Text style={{ fontSize: SIZE.body, fontWeight: "bold", color: c.text, marginBottom: 2 }}>{title}</Text> : null}
      <Text style={{ fontSize: SIZE.body, lineHeight: 1.4, color: COLOR.text }}>{children}</Text>
    </View>
  );
}

/** The paragraph that stands in for an analysis that was not run. */
export function NotRunNote({ kit, text: t, title = "Not run" }: { kit: Kit; text: string; title?: string }) {
  return (
    <Note kit={kit} tone="neutral" title={title}>
      {t}
    </Note>
  );
}

export function Legend({ kit, items }: { kit: Kit; items: Array<{ label: string; color: string; dashed?: boolean; shape?: "square" | "line" | "dot" }> }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ flexDirection: "row", flexWrap: "wrap", marginTop: 3, marginBottom: 4 }}>
      {items.map((it, i) => (
        <View key={i} style={{ flexDirection: "row", alignItems: "center", marginRight: 10, marginBottom: 2 }}>
          {it.shape === "line" ? (
            <View style={{ width: 12, height: 0, borderTop: `1.4pt ${it.dashed ? "dashed" : "solid"} ${it.color}`, marginRight: 3 }} />
          ) : (
            <View style={{ width: 7, height: 7, backgroundColor: it.color, borderRadius: it.shape === "dot" ? 3.5 : 0, marginRight: 3 }} />
          )}
          <Text style={{ fontSize: SIZE.small, color: COLOR.muted }}>{it.label}</Text>
        </View>
      ))}
    </View>
  );
}

/** A figure: the chart, then its caption; kept on one page. */
export function Figure({ kit, title, caption, children }: { kit: Kit; title?: string; caption?: string; children: ReactNode }) {
  const { View, Text } = kit.pdf;
  return (
    <View wrap={false} style={{ marginTop: 4, marginBottom: 10 }}>
      {title ? <Text style={{ fontSize: SIZE.small + 0.6, fontWeight: "bold", color: COLOR.ink, marginBottom: 3 }}>{title}</Text> : null}
      {children}
      {caption ? <Text style={{ fontSize: SIZE.small, color: COLOR.muted, lineHeight: 1.35, marginTop: 3 }}>{caption}</Text> : null}
    </View>
  );
}
