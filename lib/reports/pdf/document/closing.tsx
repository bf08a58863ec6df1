// Sections 8 and 9 and the appendix: methodology and definitions (METRICS.md in plain words,
// the glossary of this report's metrics), limitations and every warning grouped by kind; the
// sign-off block with lines for a manual signature; the audit spec as YAML, the parameters,
// seeds, software versions and timings.

import type { Kit } from "../kit";
import type { PdfModel } from "../model/document-model";
import { COLOR, FONT, SIZE } from "../theme";
import { Bullets, H3, KeyValues, P, PageFrame, SectionTitle, SubTitle, Table } from "./primitives";

export function MethodologySection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const m = model.methodology;
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="methodology" number="8" title="Methodology, definitions and limitations" intro={m.definitionsVersion} />
        <SubTitle kit={kit} id="methodology-definitions" number="8.1" title="How the numbers are defined" />
        {m.definitions.map((d) => (
          <View key={d.title} wrap={false} style={{ marginBottom: 6 }}>
            <Text style={{ fontSize: SIZE.body, fontWeight: "bold", color: COLOR.ink, marginBottom: 1.5 }}>{d.title}</Text>
            <Text style={{ fontSize: SIZE.body, lineHeight: 1.45, color: COLOR.text }}>{d.text}</Text>
          </View>
        ))}
        <SubTitle kit={kit} id="methodology-glossary" number="8.2" title="Glossary of the metrics in this report" />
        <Table
          kit={kit}
          columns={[
            { title: "Metric", width: 150 },
            { title: "Meaning", flex: 1 },
          ]}
          rows={m.glossary.map((g) => [{ text: g.label, bold: true, sub: g.id }, g.explanation])}
          rowKeys={m.glossary.map((g) => g.id)}
        />
      </PageFrame>
      <PageFrame kit={kit} header={model.header}>
        <SubTitle kit={kit} id="methodology-limitations" number="8.3" title="Limitations and warnings" />
        <Bullets kit={kit} items={m.limitations} />
        <H3 kit={kit}>Warnings</H3>
        <P kit={kit}>{m.warningsText}</P>
        {m.warnings.map((g) => (
          <View key={g.id} style={{ marginBottom: 6 }}>
            <H3 kit={kit} first>
              {`${g.title} (${g.items.length})`}
            </H3>
            <P kit={kit} small muted>
              {g.meaning}
            </P>
            <Bullets kit={kit} small items={g.items.map((w) => w.message)} />
          </View>
        ))}
      </PageFrame>
    </>
  );
}

function SignLine({ kit, label, value, mono = false }: { kit: Kit; label: string; value?: string; mono?: boolean }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ flexDirection: "row", alignItems: "flex-end", marginTop: 14 }}>
      <Text style={{ width: 90, fontSize: SIZE.body, color: COLOR.muted }}>{label}</Text>
      <View style={{ flex: 1, borderBottom: `0.7pt solid ${COLOR.muted}`, paddingBottom: 2, minHeight: 14 }}>
        <Text style={{ fontSize: mono ? SIZE.small : SIZE.body, color: COLOR.ink, ...(mono ? { fontFamily: FONT.mono } : {}) }}>{value ?? " "}</Text>
      </View>
    </View>
  );
}

function Box({ kit, label, checked = false }: { kit: Kit; label: string; checked?: boolean }) {
  const { View, Text } = kit.pdf;
  return (
    <View style={{ flexDirection: "row", alignItems: "center", marginRight: 18, marginTop: 4 }}>
      <View style={{ width: 9, height: 9, border: `0.8pt solid ${COLOR.ink}`, marginRight: 5, backgroundColor: checked ? COLOR.ink : undefined }} />
      <Text style={{ fontSize: SIZE.body, color: COLOR.ink }}>{label}</Text>
    </View>
  );
}

export function SignoffSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const so = model.signoff;
  const d = so.decision;
  const checked = (label: string) => d?.outcome === label;
  return (
    <PageFrame kit={kit} header={model.header}>
      <SectionTitle kit={kit} id="signoff" number="9" title="Sign-off" intro={so.statement} />
      <View wrap={false} style={{ border: `0.6pt solid ${COLOR.rule}`, padding: 12, marginBottom: 16 }}>
        <Text style={{ fontSize: SIZE.h3, fontWeight: "bold", color: COLOR.ink }}>Prepared by</Text>
        <SignLine kit={kit} label="Name" value={so.preparedBy === "not stated" ? undefined : so.preparedBy} />
        {so.submitted ? (
          <>
            <SignLine kit={kit} label="Submitted by" value={`${so.submitted.name}, ${so.submitted.role}`} />
            <SignLine kit={kit} label="Date" value={so.submitted.date} />
          </>
        ) : (
          <>
            <SignLine kit={kit} label="Role" />
            <SignLine kit={kit} label="Date" />
            <SignLine kit={kit} label="Signature" />
          </>
        )}
      </View>
      <View wrap={false} style={{ border: `0.6pt solid ${d ? COLOR.ink : COLOR.rule}`, padding: 12 }}>
        <Text style={{ fontSize: SIZE.h3, fontWeight: "bold", color: COLOR.ink }}>{d ? "Reviewed and decided by (recorded in Assay)" : "Reviewed and decided by"}</Text>
        <SignLine kit={kit} label="Name" value={d?.name} />
        <SignLine kit={kit} label="Role" value={d?.role} />
        <View style={{ flexDirection: "row", alignItems: "center", marginTop: 14 }}>
          <Text style={{ width: 90, fontSize: SIZE.body, color: COLOR.muted }}>Decision</Text>
          <View style={{ flex: 1, flexDirection: "row", flexWrap: "wrap" }}>
            <Box kit={kit} label="Approved" checked={checked("Approved")} />
            <Box kit={kit} label="Approved with conditions" checked={checked("Approved with conditions")} />
            <Box kit={kit} label="Not approved" checked={checked("Not approved")} />
            {d?.outcome === "Changes requested" ? <Box kit={kit} label="Changes requested" checked /> : null}
          </View>
        </View>
        {d ? <SignLine kit={kit} label="Rationale" value={d.rationale} /> : null}
        <SignLine kit={kit} label="Conditions" value={d ? d.conditions || "none" : undefined} />
        {d ? null : <SignLine kit={kit} label="" />}
        <SignLine kit={kit} label="Date" value={d?.date} />
        {d ? <SignLine kit={kit} label="Report SHA-256" value={d.reportSha256} mono /> : <SignLine kit={kit} label="Signature" />}
        {d?.hashMismatch ? (
          <Text style={{ fontSize: SIZE.body, color: COLOR.fail.text, marginTop: 8, fontWeight: "bold" }}>
            The decision was recorded for a different report hash than this document&apos;s: it does not apply to this report.
          </Text>
        ) : null}
      </View>
      <Text style={{ fontSize: SIZE.small, color: COLOR.muted, marginTop: 14 }}>
        {d
          ? `The decision, its rationale and the report hash are stored in Assay's review records and its hash-chained audit trail; /verify in the app (or GET /api/verify/<SHA-256>) confirms them. The review history and the comment thread are in appendix A.6.`
          : `Sign on paper or with a qualified electronic signature over this file. The report ID and the report SHA-256 on the cover identify the audit this decision refers to.`}
      </Text>
    </PageFrame>
  );
}

export function AppendixSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const a = model.appendix;
  return (
    <>
      <PageFrame kit={kit} header={model.header}>
        <SectionTitle kit={kit} id="appendix" number="A" title="Appendix: audit spec, parameters and software" />
        <SubTitle kit={kit} number="A.1" title="Audit spec as run" />
        <P kit={kit} small muted>
          The spec stored with the report, with every default filled in (YAML).
        </P>
        <View style={{ backgroundColor: COLOR.headerFill, borderLeft: `2pt solid ${COLOR.rule}`, paddingVertical: 6, paddingHorizontal: 8, marginBottom: 8 }}>
          <Text style={{ fontFamily: FONT.mono, fontSize: SIZE.tiny, lineHeight: 1.35, color: COLOR.ink }}>{a.specYaml.replace(/^( +)/gm, (sp) => "\u00a0".repeat(sp.length))}</Text>
        </View>
      </PageFrame>
      <PageFrame kit={kit} header={model.header}>
        <SubTitle kit={kit} number="A.2" title="Parameters" />
        {a.parameters.map((p) => (
          <View key={p.analysis} wrap={false}>
            <H3 kit={kit} first>
              {p.analysis}
            </H3>
            <KeyValues kit={kit} rows={p.rows} labelWidth={168} />
          </View>
        ))}
        <SubTitle kit={kit} number="A.3" title="Seeds" />
        <KeyValues kit={kit} rows={a.seeds.length ? a.seeds : [{ label: "Seeds", value: "none: no analysis of this audit draws random numbers" }]} labelWidth={168} />
        <SubTitle kit={kit} number="A.4" title="Software" />
        <KeyValues kit={kit} rows={a.software} labelWidth={168} />
        <SubTitle kit={kit} number="A.5" title="Timings" />
        <Table
          kit={kit}
          columns={[
            { title: "Analysis", flex: 1 },
            { title: "Wall time", width: 80, align: "right" },
          ]}
          rows={a.timings.map((t) => [t.label, t.value])}
        />
      </PageFrame>
      <PageFrame kit={kit} header={model.header}>
        <SubTitle kit={kit} number="A.6" title="Review history and comments" />
        {model.signoff.history.length ? (
          <Table
            kit={kit}
            columns={[
              { title: "Date", width: 86 },
              { title: "Who", width: 130 },
              { title: "What", width: 120 },
              { title: "Rationale and conditions", flex: 1 },
            ]}
            rows={model.signoff.history.map((h) => [h.date, h.who, h.what, h.note || "—"])}
          />
        ) : (
          <P kit={kit} small muted>
            No review step was recorded when this document was made.
          </P>
        )}
        <H3 kit={kit}>Comments</H3>
        {model.signoff.comments.length ? (
          model.signoff.comments.map((c, i) => (
            <View key={i} wrap={false} style={{ marginBottom: 8, borderLeft: `2pt solid ${COLOR.rule}`, paddingLeft: 8 }}>
              <Text style={{ fontSize: SIZE.small, color: COLOR.muted }}>
                {c.who} · {c.date}
              </Text>
              <Text style={{ fontSize: SIZE.body, color: COLOR.text, marginTop: 2 }}>{c.body}</Text>
            </View>
          ))
        ) : (
          <P kit={kit} small muted>
            No comments.
          </P>
        )}
      </PageFrame>
    </>
  );
}
