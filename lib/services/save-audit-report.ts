// Use-case: store a finished report (from the CLI's --save or a worker) with its project,
// model version and dataset records, so the app lists it.

import path from "node:path";
import { getDb } from "../db/client";
import { prepareDatabase } from "../db/ensure";
import { writeAuditReport } from "../db/report-column";
import type { Report } from "../report/types";
import type { ModelCapabilities } from "../engine/model/capabilities";
import { isScoreModel } from "../spec/schema";
import { slugify } from "../text";

export interface SaveAuditReportOptions {
  report: Report;
  createdBy: string;
  /** Directory the spec's relative paths were resolved against (stored paths are absolute). */
  specBaseDir: string;
}

/** What the audited model offered, as the report recorded it (for the version's record). */
export function capabilitiesFromReport(m: Report["model"]): ModelCapabilities {
  const none = !m.gradients || m.gradients.startsWith("none: ");
  return {
    format: m.kind === "score" ? "tfjs-layers" : m.kind,
    output: m.output ?? m.outputType,
    trees: m.trees ?? null,
    gradients: none ? (m.kind === "tfjs-layers" && !m.gradients ? "TensorFlow.js automatic differentiation" : null) : m.gradients!,
    ...(none && m.gradients ? { noGradients: m.gradients.slice("none: ".length) } : {}),
  };
}

export async function saveAuditReport({ report, createdBy, specBaseDir }: SaveAuditReportOptions): Promise<{ id: string; projectId: string }> {
  await prepareDatabase();
  const db = getDb();
  const spec = report.spec;
  const projectName = spec.project ?? spec.name;
  const project = await db.project.upsert({
    where: { slug: slugify(projectName) },
    create: { slug: slugify(projectName), name: projectName },
    update: {},
  });
  const datasetName = spec.dataset.name ?? path.basename(spec.dataset.path);
  const datasetPath = path.resolve(specBaseDir, spec.dataset.path);
  const dataset = await db.dataset.upsert({
    where: { projectId_sha256_name: { projectId: project.id, sha256: report.dataset.sha256, name: datasetName } },
    create: {
      projectId: project.id,
      name: datasetName,
      path: datasetPath,
      sha256: report.dataset.sha256,
      sizeBytes: report.dataset.bytes,
      rows: report.dataset.rows,
      columns: { columns: report.dataset.columns },
      label: spec.dataset.label,
      positive: spec.dataset.positive,
      sensitive: spec.sensitive,
      createdBy,
    },
    update: {},
  });
  const modelName = spec.model.name ?? projectName;
  const model = await db.model.upsert({
    where: { projectId_name: { projectId: project.id, name: modelName } },
    create: { projectId: project.id, name: modelName },
    update: {},
  });
  const score = isScoreModel(spec.model);
  const version = spec.model.version ?? (isScoreModel(spec.model) ? spec.model.score : path.basename(spec.model.path));
  const modelVersion = await db.modelVersion.upsert({
    where: { modelId_version: { modelId: model.id, version } },
    create: {
      modelId: model.id,
      version,
      kind: report.model.kind,
      path: score ? null : path.resolve(specBaseDir, (spec.model as { path: string }).path),
      scoreColumn: score ? (spec.model as { score: string }).score : null,
      probability: score ? (spec.model as { probability: boolean }).probability : false,
      fileHashes: report.model.files ? Object.fromEntries(report.model.files.map((f) => [f.name, f.sha256])) : undefined,
      capabilities: score ? undefined : (capabilitiesFromReport(report.model) as object),
      createdBy,
    },
    update: {},
  });
  const finished = new Date(report.createdAt);
  const totalMs = report.timings.find((t) => t.analysis === "total")?.ms ?? 0;
  const audit = await db.$transaction(async (tx) => {
    const created = await tx.audit.create({
      data: {
        projectId: project.id,
        modelVersionId: modelVersion.id,
        datasetId: dataset.id,
        name: spec.name,
        spec: spec as object,
        status: "succeeded",
        phase: "done",
        progress: 1,
        passed: report.passed,
        createdBy,
        startedAt: new Date(finished.getTime() - totalMs),
        finishedAt: finished,
      },
    });
    await writeAuditReport(tx, created.id, report);
    return created;
  });
  return { id: audit.id, projectId: project.id };
}
