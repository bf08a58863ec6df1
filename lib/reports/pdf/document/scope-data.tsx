// Sections 2 and 3: scope and intended use as entered with the audit (said plainly when not
// stated), then the data: rows, label balance, group sizes per attribute and intersection with
// the unknown category, empty values per column, and the groups left out and why.

import type { Kit } from "../kit";
import type { PdfModel } from "../model/document-model";
import { COLOR, SIZE } from "../theme";
import { Bullets, H3, KeyValues, P, PageFrame, SectionTitle, Table } from "./primitives";

export function ScopeDataSection({ kit, model }: { kit: Kit; model: PdfModel }) {
  const { View, Text } = kit.pdf;
  const d = model.data;
  return (
    <PageFrame kit={kit} header={model.header}>
      <SectionTitle kit={kit} id="scope" number="2" title="Scope and intended use" intro="As entered with the audit spec. The audit tests the model against these statements only as far as the numbers in this report go." />
      {model.scope.items.map((it) => (
        <View key={it.label} wrap={false} style={{ flexDirection: "row", marginBottom: 7 }}>
          <Text style={{ width: 100, fontSize: SIZE.body, fontWeight: "bold", color: COLOR.ink }}>{it.label}</Text>
          <Text style={{ flex: 1, fontSize: SIZE.body, lineHeight: 1.45, color: it.stated ? COLOR.text : COLOR.faint, fontStyle: it.stated ? "normal" : "italic" }}>{it.value}</Text>
        </View>
      ))}
      <View style={{ marginTop: 4, marginBottom: 14 }}>
        <KeyValues kit={kit} rows={model.scope.context} labelWidth={100} />
      </View>

      <SectionTitle kit={kit} id="data" number="3" title="Data" />
      <KeyValues kit={kit} rows={d.facts} labelWidth={110} />

      <H3 kit={kit}>Group sizes</H3>
      {d.noGroups ? (
        <P kit={kit} muted>
          {d.noGroups}
        </P>
      ) : (
        d.attributes.map((a) => (
          <View key={a.attribute} style={{ marginBottom: 6 }}>
            <Text minPresenceAhead={40} style={{ fontSize: SIZE.table + 0.6, fontWeight: "bold", color: COLOR.text, marginBottom: 3 }}>
              {a.intersection ? "Intersection" : "Attribute"}: {a.attribute}
            </Text>
            <Table
              kit={kit}
              columns={[
                { title: "Group", flex: 1 },
                { title: "n", width: 52, align: "right" },
                { title: "Share of rows", width: 62, align: "right" },
                { title: "Base rate", width: 50, align: "right" },
                { title: "Flags", width: 150 },
              ]}
              rows={a.rows.map((r) => [r.group, { text: r.n, bold: true }, r.share, r.baseRate, { text: r.flags, color: COLOR.muted }])}
            />
            <Text style={{ fontSize: SIZE.small, color: a.unknown > 0 ? COLOR.warn.text : COLOR.muted, marginTop: -4, marginBottom: 4 }}>{a.unknownText}</Text>
          </View>
        ))
      )}

      <H3 kit={kit}>Columns and empty values</H3>
      <P kit={kit}>{d.missingText}</P>
      <Table
        kit={kit}
        columns={[
          { title: "Column", flex: 1.2 },
          { title: "Role", flex: 1.1 },
          { title: "Type", width: 58 },
          { title: "Empty values", width: 72, align: "right" },
          { title: "Distinct", width: 44, align: "right" },
          { title: "Range", width: 80, align: "right" },
        ]}
        rows={d.columns.map((c) => [c.name, { text: c.role, color: COLOR.muted }, c.type, { text: c.missing, bold: c.missing !== "0", color: c.missing !== "0" ? COLOR.warn.text : COLOR.text }, c.distinct, c.range])}
      />

      <H3 kit={kit}>Excluded groups</H3>
      <P kit={kit}>{d.excludedText}</P>
      {d.excluded.length > 0 ? (
        <Table
          kit={kit}
          columns={[
            { title: "Attribute", width: 90 },
            { title: "Group", flex: 1 },
            { title: "n", width: 44, align: "right" },
            { title: "Why", flex: 1 },
          ]}
          rows={d.excluded.map((x) => [x.attribute, x.group, x.n, x.reason])}
        />
      ) : null}

      <H3 kit={kit}>Data warnings</H3>
      {d.warnings.length > 0 ? (
        <Bullets kit={kit} small items={d.warnings} />
      ) : (
        <P kit={kit} muted>
          The engine raised no warnings about the data (empty values, unknown categories, missing or excluded groups). All warnings are listed in section 8.3.
        </P>
      )}
    </PageFrame>
  );
}
