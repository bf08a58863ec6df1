// Page 1: what was audited and the verdict, with the control block (names, date, engine,
// report ID and the SHA-256 fingerprints of the report, the dataset and every model file).

import type { Kit } from "../kit";
import type { PdfModel } from "../model/document-model";
import { COLOR, SIZE } from "../theme";
import { bookmark, KeyValues, PageFrame, text } from "./primitives";

export function CoverPage({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const c = model.cover;
  const tone = c.verdict.status === "pass" ? COLOR.pass : c.verdict.status === "fail" ? COLOR.fail : COLOR.neutral;
  const r = model.signoff.coverLine;
  const reviewTone = r.tone === "pass" ? COLOR.pass : r.tone === "fail" ? COLOR.fail : r.tone === "warn" ? COLOR.warn : COLOR.neutral;
  return (
    <PageFrame kit={kit} header={model.header}>
      <View {...bookmark("Cover and control block")} style={{ marginTop: 18 }}>
        <Text style={{ fontSize: SIZE.small + 0.5, color: COLOR.accent, fontWeight: "bold", letterSpacing: 1.2 }}>MODEL AUDIT REPORT</Text>
        <Text style={{ fontSize: SIZE.coverTitle, fontWeight: "bold", color: COLOR.ink, marginTop: 8, lineHeight: 1.2 }}>{c.auditName}</Text>
        <Text style={{ fontSize: SIZE.h2, color: COLOR.muted, marginTop: 6 }}>
          {c.project} · model {c.modelVersion} · dataset {c.datasetName}
        </Text>
        {c.description ? <Text style={{ ...text.body, color: COLOR.muted, marginTop: 8, maxWidth: 420 }}>{c.description}</Text> : null}
      </View>
      <View wrap={false} style={{ marginTop: 22, marginBottom: 20, flexDirection: "row", borderLeft: `4pt solid ${tone.fill}`, backgroundColor: tone.background, paddingVertical: 10, paddingHorizontal: 12 }}>
        <View style={{ width: 110 }}>
          <Text style={{ fontSize: SIZE.small, color: COLOR.muted }}>Overall verdict</Text>
          <Text style={{ fontSize: 18, fontWeight: "bold", color: tone.text, marginTop: 2 }}>{c.verdict.title.toUpperCase()}</Text>
        </View>
        <View style={{ flex: 1 }}>
          <Text style={{ fontSize: SIZE.body + 0.6, fontWeight: "bold", color: COLOR.ink }}>{c.checksText}</Text>
          <Text style={{ ...text.body, marginTop: 2 }}>{c.verdict.detail}</Text>
        </View>
      </View>
      <View wrap={false} style={{ marginTop: -10, marginBottom: 18, borderLeft: `4pt solid ${reviewTone.fill}`, backgroundColor: reviewTone.background, paddingVertical: 7, paddingHorizontal: 12 }}>
        <Text style={{ fontSize: SIZE.small, color: COLOR.muted }}>Review</Text>
        <Text style={{ ...text.body, marginTop: 2 }}>
          <Text style={{ fontSize: 13, fontWeight: "bold", color: reviewTone.text }}>{r.title.toUpperCase()}</Text> {r.detail}
        </Text>
      </View>
      <Text style={{ fontSize: SIZE.h3, fontWeight: "bold", color: COLOR.ink, marginBottom: 4 }}>Control block</Text>
      <KeyValues kit={kit} rows={c.control} labelWidth={112} size={SIZE.table + 0.3} />
      <Text style={{ ...text.small, marginTop: 10 }}>
        To verify this document against the stored audit, compute the SHA-256 of the report&apos;s canonical JSON (keys sorted at every level, no whitespace) and compare it with the report SHA-256 above; the dataset and model file hashes identify the exact
        inputs. Every number in this document is read from that report and not recomputed.
      </Text>
    </PageFrame>
  );
}

export function TocPage({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text, Link } = kit.pdf;
  const pageOf = (id: string, final: boolean): string => {
    const p = kit.knownPages?.get(id) ?? kit.marks.get(id);
    if (final) kit.toc.seen.set(id, p);
    return p === undefined ? "" : String(p);
  };
  return (
    <PageFrame kit={kit} header={model.header}>
      <View {...bookmark("Contents")}>
        <Text style={{ fontSize: SIZE.h1, fontWeight: "bold", color: COLOR.ink, borderBottom: `1.2pt solid ${COLOR.accent}`, paddingBottom: 4, marginBottom: 12 }}>Contents</Text>
      </View>
      {model.toc.map((e) => (
        <Link key={e.id} src={`#${e.id}`} style={{ textDecoration: "none", color: COLOR.text }}>
          <View wrap={false} style={{ flexDirection: "row", alignItems: "flex-end", marginTop: e.level === 1 ? 7 : 2.5, paddingLeft: e.level === 1 ? 0 : 24 }}>
            <Text style={{ width: e.level === 1 ? 24 : 30, fontSize: e.level === 1 ? SIZE.body + 0.8 : SIZE.body, fontWeight: e.level === 1 ? "bold" : "normal", color: COLOR.accent }}>{e.number}</Text>
            <Text style={{ fontSize: e.level === 1 ? SIZE.body + 0.8 : SIZE.body, fontWeight: e.level === 1 ? "bold" : "normal", color: COLOR.ink }}>{e.title}</Text>
            <View style={{ flex: 1, borderBottom: `0.8pt dotted ${COLOR.rule}`, marginHorizontal: 4, marginBottom: 2.5 }} />
            <Text style={{ width: 22, textAlign: "right", fontSize: e.level === 1 ? SIZE.body + 0.8 : SIZE.body, fontWeight: e.level === 1 ? "bold" : "normal", color: COLOR.ink }} render={({ totalPages }) => pageOf(e.id, totalPages !== undefined)} />
          </View>
        </Link>
      ))}
      <Text style={{ ...text.small, marginTop: 18 }}>
        Each section reads one part of the stored report. Sections for analyses that were not run say so and why instead of being left out. Definitions of every metric are in section 8; the audit spec as run, the parameters, seeds and software versions are in the appendix.
      </Text>
    </PageFrame>
  );
}
