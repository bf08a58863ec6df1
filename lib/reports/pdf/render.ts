// Renders a stored report as a PDF (@react-pdf/renderer): the layout lives in ./document, this
// file loads the renderer and d3 (ES modules, imported at run time: this project runs as
// CommonJS) and the fonts, and returns bytes.
// Never recomputes a number: everything printed comes from the report (and the previous
// version's report, for the changes section).
//
// The table of contents needs the page on which each section starts. Each section heading
// records its page while the renderer lays out the pages, and the contents page prints them in
// the renderer's final pass; when that pass saw a page number missing or changed, the document
// is rendered a second time with the page numbers of the first.

import { createElement } from "react";
import type { Report } from "../../report/types";
import { AuditDocument } from "./document";
import { registerFonts } from "./fonts";
import type { Kit, Pdf } from "./kit";
import { buildPdfModel, type PdfModel } from "./model/document-model";
import { tocComplete } from "./model/toc";
import type { PdfReviewInput } from "./model/signoff";

export interface PdfOptions {
  /** SHA-256 of the report's canonical JSON (lib/report/hash.ts), printed on the cover. */
  reportSha256: string;
  /** The previous audited version of the same model on the same dataset, for "changes". */
  previous?: { version: string; report: Report } | null;
  /** Who prepared the audit (the user who ran it). */
  preparedBy?: string;
  /** Names the app knows (the CLI falls back to the spec's). */
  project?: string;
  modelVersion?: string;
  datasetName?: string;
  /** The review recorded in the app: fills the sign-off page, the cover's review line and the appendix. */
  review?: PdfReviewInput | null;
}

async function loadModules(): Promise<{ pdf: Pdf; d3: Kit["d3"] }> {
  const [pdf, d3] = await Promise.all([import("@react-pdf/renderer"), import("d3")]);
  registerFonts(pdf);
  return { pdf, d3: { scaleLinear: d3.scaleLinear, line: d3.line } };
}

async function renderOnce(modules: { pdf: Pdf; d3: Kit["d3"] }, model: PdfModel, title: string, knownPages: ReadonlyMap<string, number> | null): Promise<{ bytes: Buffer; kit: Kit }> {
  const kit: Kit = { ...modules, marks: new Map(), knownPages, toc: { seen: new Map() } };
  const element = createElement(AuditDocument, { kit, model, title });
  // renderToBuffer is typed for a <Document> element; AuditDocument renders one.
  const bytes = await modules.pdf.renderToBuffer(element as unknown as Parameters<Pdf["renderToBuffer"]>[0]);
  return { bytes, kit };
}

export async function renderReportPdf(report: Report, options: PdfOptions): Promise<Buffer> {
  const modules = await loadModules();
  const model = buildPdfModel(report, { ...options, rendererVersion: typeof modules.pdf.version === "string" ? modules.pdf.version : null });
  const title = `Model audit report: ${report.spec.name}`;
  const first = await renderOnce(modules, model, title, null);
  if (tocComplete(model.toc.map((e) => e.id), { marks: first.kit.marks, seen: first.kit.toc.seen })) return first.bytes;
  const second = await renderOnce(modules, model, title, new Map(first.kit.marks));
  return second.bytes;
}
