// The cover and control block: what was audited, when, with what, and the fingerprints (SHA-256
// of the report JSON, the dataset and every model file) that tie this document to its inputs.
// Names the app knows (project, model version, dataset) win over the spec's; the spec's fill in.

import { MODEL_KIND_LABEL } from "../../../report/types";
import type { Report } from "../../../report/types";
import { fmtBytes, fmtCount, fmtDate } from "../../../views/format";
import { engineLine, verdictOf, type Verdict } from "../../../views/summary";
import { baseName } from "./text";

/** The names and people the caller knows better than the report (see PdfOptions). */
export interface CoverOptions {
  reportSha256: string;
  preparedBy?: string;
  project?: string;
  modelVersion?: string;
  datasetName?: string;
}

export interface ControlRow {
  label: string;
  value: string;
  /** Hashes and identifiers: set in a monospace font, never broken. */
  mono?: boolean;
  /** A second line in small type (e.g. the file's size). */
  detail?: string;
}

export interface CoverModel {
  auditName: string;
  project: string;
  modelVersion: string;
  datasetName: string;
  date: string;
  reportId: string;
  reportSha256: string;
  preparedBy: string;
  verdict: Verdict;
  /** "4 of 6 checks pass" */
  checksText: string;
  description: string | null;
  control: ControlRow[];
}

export function projectName(report: Report, o: Pick<CoverOptions, "project">): string {
  return o.project ?? report.spec.project ?? report.spec.name;
}

export function modelVersionName(report: Report, o: Pick<CoverOptions, "modelVersion">): string {
  if (o.modelVersion) return o.modelVersion;
  const m = report.spec.model;
  if (m.version) return m.version;
  if (report.model.kind === "score") return `score column ${report.model.scoreColumn ?? ("score" in m ? m.score : "?")}`;
  return report.model.path ? baseName(report.model.path) : "not stated";
}

export function datasetDisplayName(report: Report, o: Pick<CoverOptions, "datasetName">): string {
  return o.datasetName ?? report.spec.dataset.name ?? baseName(report.dataset.path);
}

function modelText(report: Report): string {
  const m = report.model;
  if (m.kind === "score") return `Score column "${m.scoreColumn ?? "?"}" (${m.probability ? "a probability" : "not a probability"}); ${report.decision.rule}`;
  const trees = m.trees ? `, ${m.trees.count} trees of depth ≤ ${m.trees.maxDepth}` : "";
  return `${MODEL_KIND_LABEL[m.kind]} model ${m.path ?? ""}${m.inputs !== undefined ? `, ${m.inputs} inputs` : ""}${trees}, output ${m.outputType}; ${report.decision.rule}`;
}

export function coverModel(report: Report, o: CoverOptions): CoverModel {
  const passed = report.policy.filter((p) => p.pass).length;
  const project = projectName(report, o);
  const modelVersion = modelVersionName(report, o);
  const datasetName = datasetDisplayName(report, o);
  const preparedBy = o.preparedBy ?? "not stated";
  const e = report.engine;
  const d = report.dataset;
  const control: ControlRow[] = [
    { label: "Audit", value: report.spec.name },
    { label: "Project", value: project },
    { label: "Model version", value: modelVersion, detail: modelText(report) },
    { label: "Dataset", value: datasetName, detail: `${d.path} · ${fmtCount(d.rows)} rows · ${fmtBytes(d.bytes)}` },
    { label: "Date of audit", value: fmtDate(report.createdAt) },
    { label: "Engine", value: engineLine(e) },
    { label: "Report ID", value: report.id, mono: true },
    { label: "Report SHA-256", value: o.reportSha256, mono: true, detail: "SHA-256 of the report's canonical JSON (keys sorted, no whitespace)" },
    { label: "Dataset SHA-256", value: d.sha256, mono: true, detail: `${baseName(d.path)} (${fmtBytes(d.bytes)})` },
    ...(report.model.files ?? []).map((f) => ({ label: "Model file SHA-256", value: f.sha256, mono: true, detail: `${f.name} (${fmtBytes(f.bytes)})` })),
    { label: "Prepared by", value: preparedBy },
  ];
  if (report.model.kind === "score") {
    control.splice(control.length - 1, 0, { label: "Model files", value: "none: the audit reads a score column from the dataset" });
  }
  return {
    auditName: report.spec.name,
    project,
    modelVersion,
    datasetName,
    date: fmtDate(report.createdAt),
    reportId: report.id,
    reportSha256: o.reportSha256,
    preparedBy,
    verdict: verdictOf(report),
    checksText: report.policy.length === 0 ? "no policy checks" : `${passed} of ${report.policy.length} policy checks pass`,
    description: report.spec.description ?? null,
    control,
  };
}
