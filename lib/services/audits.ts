// Use-cases for audits in the app and the REST API: create one from a spec that references the
// project's stored datasets and model versions (queued for a worker), follow its progress,
// cancel it, read it with its report, comment on it, compare versions.

import path from "node:path";
import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { assertCan, type Actor } from "../auth/roles";
import { validateSpec } from "../spec/parse";
import { isScoreModel, type TAuditSpec } from "../spec/schema";
import type { Report } from "../report/types";
import { getQueue } from "../jobs/queue";
import { getEnv } from "../env";
import { configuredBackend } from "../compute/configured-backend";
import { assertAnalysesFit } from "../engine/model/capabilities";
import { loadModelDir } from "../io/model-dir";
import { normalizeProfile, storedPath } from "./datasets";
import { bundleSpec, bundleSpecYaml } from "../spec/bundle";
import { parseInput } from "../validate";
import { storedReport } from "./report-cache";
import { recordEventSafely } from "./events";
import { REVIEW_SELECT, reviewFromRow, reviewSummaryOf, type ReviewSummary } from "./review";
import { costRefusal, estimateAuditCost, rawColumnCount } from "../engine/cost";

export interface CreatedAudit {
  id: string;
}

/**
 * Validates a spec (one schema for forms, YAML and the API) whose dataset and model paths are
 * stored ones of this project (as the app and `Download as YAML` write them), and queues it.
 */
export async function createAudit(actor: Actor | null, input: { projectSlug: string; spec: unknown; rerunOf?: string | null }): Promise<CreatedAudit> {
  assertCan(actor, "run_audit");
  const db = getDb();
  const env = getEnv();
  const project = await db.project.findUnique({
    where: { slug: input.projectSlug },
    include: { datasets: true, models: { include: { versions: true } } },
  });
  if (!project) throw new AppError("NOT_FOUND", `no project "${input.projectSlug}"`);
  const spec = validateSpec(input.spec);
  const dataset = project.datasets.find((d) => d.path === spec.dataset.path);
  if (!dataset) {
    const names = project.datasets.filter((d) => !d.archivedAt).map((d) => d.name);
    throw invalidInput(`the dataset must be one of this project's datasets: ${names.length ? `${names.slice(0, 20).join(", ")}${names.length > 20 ? `, and ${names.length - 20} more` : ""}` : "it has none yet"}`, { field: "dataset.path" });
  }
  const versions = project.models.flatMap((m) => m.versions);
  assertDatasetHasColumns(spec, dataset.name, normalizeProfile(dataset.columns).columns, versions.find((x) => !isScoreModel(spec.model) && x.path === spec.model.path)?.manifest);
  let modelVersionId: string | null = null;
  if (isScoreModel(spec.model)) {
    const score = spec.model;
    modelVersionId = versions.find((v) => v.kind === "score" && v.scoreColumn === score.score && (!score.version || v.version === score.version))?.id ?? null;
  } else {
    const p = spec.model.path;
    const v = versions.find((x) => x.path === p);
    if (!v) throw invalidInput("the model must be one of this project's stored model versions", { field: "model.path" });
    modelVersionId = v.id;
    await assertModelFits(spec, v);
  }
  const shap = spec.analyses.shap;
  if (shap && "path" in shap.background) {
    const bgPath = shap.background.path;
    if (!project.datasets.some((d) => d.path === bgPath)) throw invalidInput("a SHAP background file must be one of this project's datasets", { field: "analyses.shap.background.path" });
  }
  const version = versions.find((x) => x.id === modelVersionId);
  const manifestFeatures = (version?.manifest as { features?: Array<{ column: string }> } | null | undefined)?.features;
  const players = isScoreModel(spec.model) ? 0 : manifestFeatures ? rawColumnCount(manifestFeatures) : Math.max(1, normalizeProfile(dataset.columns).columns.length - 1);
  const hasTrees = Boolean((version?.capabilities as { trees?: unknown } | null | undefined)?.trees);
  const refusal = costRefusal(estimateAuditCost(spec, dataset.rows, players, hasTrees), env.ASSAY_MAX_AUDIT_EVALUATIONS);
  if (refusal) throw invalidInput(refusal, { field: "analyses" });
  const active = await db.audit.count({ where: { createdById: actor.id, status: { in: ["queued", "running"] } } });
  if (active >= env.ASSAY_MAX_QUEUED_PER_USER) {
    throw new AppError("TOO_MANY_REQUESTS", `you already have ${active} audits queued or running (limit ${env.ASSAY_MAX_QUEUED_PER_USER}, ASSAY_MAX_QUEUED_PER_USER); wait for some to finish or cancel them`);
  }
  const normalized: TAuditSpec = { ...spec, project: project.name };
  let rerunOfId: string | null = null;
  if (input.rerunOf) {
    const earlier = await db.audit.findUnique({ where: { id: input.rerunOf }, select: { id: true, projectId: true } });
    if (!earlier || earlier.projectId !== project.id) throw invalidInput("the audit this one re-runs must be an audit of the same project", { field: "rerunOf" });
    rerunOfId = earlier.id;
  }
  const audit = await db.audit.create({
    data: {
      projectId: project.id,
      datasetId: dataset.id,
      modelVersionId,
      name: spec.name,
      spec: normalized as unknown as object,
      status: "queued",
      createdBy: actor.email,
      createdById: actor.id,
      rerunOfId,
    },
  });
  await db.project.update({ where: { id: project.id }, data: { updatedAt: new Date() } });
  await getQueue().enqueue({ auditId: audit.id });
  await recordEventSafely({ actor, action: "audit_start", target: { type: "audit", id: audit.id }, projectId: project.id, summary: `“${spec.name}” queued: model ${modelVersionLabel(versions.find((x) => x.id === modelVersionId))}, dataset ${dataset.name} (SHA-256 ${dataset.sha256.slice(0, 12)}…)${rerunOfId ? `; re-runs audit ${rerunOfId}` : ""}` });
  return { id: audit.id };
}

function modelVersionLabel(v: { version: string; kind: string } | undefined): string {
  return v ? `${v.version} (${v.kind})` : "score column";
}

/**
 * Refuses, before queuing, a spec whose dataset lacks a column it reads: the label, sensitive
 * attributes, weights, the score column (numeric) or the model's inputs (numeric ones numeric).
 * One error names every missing column, instead of a failure later in the worker.
 */
function assertDatasetHasColumns(spec: TAuditSpec, datasetName: string, columns: ReadonlyArray<{ name: string; type: string }>, manifest: unknown): void {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const missing: string[] = [];
  const notNumeric: string[] = [];
  const need = (name: string, numeric: boolean) => {
    const c = byName.get(name);
    if (!c) missing.push(name);
    else if (numeric && c.type === "categorical") notNumeric.push(name);
  };
  need(spec.dataset.label, false);
  for (const a of spec.sensitive) need(a, false);
  if (spec.dataset.weight) need(spec.dataset.weight, true);
  if (isScoreModel(spec.model)) need(spec.model.score, true);
  const features = (manifest as { features?: Array<{ column: string; type: string }> } | null | undefined)?.features ?? [];
  for (const f of features) need(f.column, f.type === "numeric");
  const unique = (xs: string[]) => [...new Set(xs)].map((x) => `"${x}"`).join(", ");
  if (missing.length) {
    throw invalidInput(`${datasetName} has no column ${unique(missing)}, which the audit reads (label, sensitive attributes, weights, score or model inputs)`, { field: "dataset.path" });
  }
  if (notNumeric.length) throw invalidInput(`${datasetName}: ${unique(notNumeric)} must hold numbers (a score, weights or numeric model inputs) but holds text`, { field: "dataset.path" });
}

/**
 * Refuses, before queuing, a spec that asks a model for what it does not have: PGD/FGSM without
 * gradients, TreeSHAP without trees. TF.js models always have gradients and XGBoost models always
 * have trees; other cases load the model to find out.
 */
async function assertModelFits(spec: TAuditSpec, v: { kind: string; path: string | null }): Promise<void> {
  const needsTrees = spec.analyses.shap?.method === "tree";
  const attack = spec.analyses.robustness?.attack;
  const needsGradients = attack === "pgd" || attack === "fgsm";
  if (!v.path || (!needsTrees && !needsGradients)) return;
  if (v.kind === "tfjs-layers" && !needsTrees) return;
  await configuredBackend();
  const { loaded } = await loadModelDir(storedPath(v.path), path.basename(v.path));
  try {
    assertAnalysesFit(spec, loaded);
  } finally {
    loaded.dispose();
  }
}

export const ZRerunAtThreshold = z.object({ threshold: z.number({ error: "give the threshold as a number" }).finite("give the threshold as a finite number") });

/**
 * "Save as new audit" on the threshold slider: queues the same audit (spec, dataset, model,
 * seeds) with the decision threshold the user chose. Only audits stored in a project can be
 * re-run (their dataset and model are the project's).
 */
export async function rerunAtThreshold(actor: Actor | null, auditId: string, input: z.input<typeof ZRerunAtThreshold>): Promise<CreatedAudit> {
  assertCan(actor, "run_audit");
  const { threshold } = parseInput(ZRerunAtThreshold, input, { field: "threshold" });
  const { projectSlug, spec } = await specForRerun(auditId);
  const base = spec.name.replace(/ \(threshold [^)]*\)$/, "");
  return createAudit(actor, { projectSlug, spec: { ...spec, name: `${base} (threshold ${Number(threshold.toPrecision(12))})`, threshold } });
}

/**
 * "Re-run as a new audit" after a reviewer asked for changes: queues the stored spec again (same
 * dataset, model and seeds) as a new audit linked to this one (rerunOf), for the data scientist to
 * submit for review. An approved audit is never changed: running it again also makes a new audit.
 */
export async function rerunAudit(actor: Actor | null, auditId: string): Promise<CreatedAudit> {
  assertCan(actor, "run_audit");
  const { projectSlug, spec } = await specForRerun(auditId);
  return createAudit(actor, { projectSlug, spec, rerunOf: auditId });
}

/** The audit's stored spec, pointing at the stored dataset and model files (a spec saved by the
 *  CLI names them relative to its YAML), to queue again in the same project. */
async function specForRerun(auditId: string): Promise<{ projectSlug: string; spec: TAuditSpec }> {
  const a = await getDb().audit.findUnique({ where: { id: auditId }, select: { spec: true, project: { select: { slug: true } }, dataset: { select: { path: true } }, modelVersion: { select: { path: true } } } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  if (!a.project) throw new AppError("CONFLICT", "only an audit stored in a project can be re-run; submit its spec again instead");
  const spec = validateSpec(a.spec);
  const dataset = a.dataset ? { ...spec.dataset, path: a.dataset.path } : spec.dataset;
  const model = !isScoreModel(spec.model) && a.modelVersion?.path ? { ...spec.model, path: a.modelVersion.path } : spec.model;
  return { projectSlug: a.project.slug, spec: { ...spec, dataset, model } };
}

export async function cancelAudit(actor: Actor | null, id: string): Promise<{ status: string }> {
  assertCan(actor, "run_audit");
  const db = getDb();
  const a = await db.audit.findUnique({ where: { id }, select: { status: true, projectId: true } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  const note = (summary: string) => recordEventSafely({ actor, action: "audit_cancel", target: { type: "audit", id }, projectId: a.projectId, summary });
  if (a.status === "queued") {
    const r = await db.audit.updateMany({ where: { id, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: new Date() } });
    if (r.count === 1) {
      await getQueue().withdraw(id);
      await note("queued → cancelled");
      return { status: "cancelled" };
    }
  }
  if (a.status === "running" || a.status === "queued") {
    await db.audit.update({ where: { id }, data: { cancelRequested: true } });
    await note(`${a.status} → cancelling`);
    return { status: "cancelling" };
  }
  throw new AppError("CONFLICT", `the audit has already ${a.status}`);
}

export interface AuditStatus {
  id: string;
  name: string;
  status: string;
  phase: string | null;
  progress: number;
  message: string | null;
  error: string | null;
  passed: boolean | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Review state and decisions (lib/services/review.ts). */
  review: ReviewSummary;
}

export async function getAuditStatus(actor: Actor | null, id: string): Promise<AuditStatus & { report: Report | null; policy: Report["policy"] | null }> {
  assertCan(actor, "read");
  const a = await getDb().audit.findUnique({ where: { id }, omit: { report: true, spec: true } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  const report = a.status === "succeeded" ? await storedReport(a.id, a.finishedAt) : null;
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    phase: a.phase,
    progress: a.progress,
    message: a.message,
    error: a.error,
    passed: a.passed,
    cancelRequested: a.cancelRequested,
    createdAt: a.createdAt.toISOString(),
    startedAt: a.startedAt?.toISOString() ?? null,
    finishedAt: a.finishedAt?.toISOString() ?? null,
    review: await reviewSummaryOf(a),
    report,
    policy: report?.policy ?? null,
  };
}

/** Everything the audit page shows, plus the previous audited version for deltas. */
export async function getAuditPage(actor: Actor | null, id: string) {
  assertCan(actor, "read");
  const db = getDb();
  const a = await db.audit.findUnique({
    where: { id },
    omit: { report: true },
    include: {
      project: true,
      dataset: { omit: { columns: true } },
      modelVersion: { include: { model: true } },
      createdByUser: { select: { name: true, email: true } },
      comments: { orderBy: { createdAt: "asc" }, include: { user: { select: { name: true, email: true, role: true } } } },
      reruns: REVIEW_SELECT.reruns,
      reviewer: REVIEW_SELECT.reviewer,
      decisions: REVIEW_SELECT.decisions,
    },
  });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  let previous: { id: string; version: string; report: Report } | null = null;
  if (a.modelVersion && a.datasetId) {
    const earlier = await db.audit.findFirst({
      where: {
        status: "succeeded",
        datasetId: a.datasetId,
        modelVersion: { modelId: a.modelVersion.modelId, createdAt: { lt: a.modelVersion.createdAt } },
      },
      orderBy: [{ modelVersion: { createdAt: "desc" } }, { createdAt: "desc" }],
      select: { id: true, finishedAt: true, modelVersion: { select: { version: true } } },
    });
    const earlierReport = earlier ? await storedReport(earlier.id, earlier.finishedAt) : null;
    if (earlier && earlierReport) previous = { id: earlier.id, version: earlier.modelVersion!.version, report: earlierReport };
  }
  const report = a.status === "succeeded" ? await storedReport(a.id, a.finishedAt) : null;
  return { audit: a, report, spec: a.spec as unknown as TAuditSpec, previous, review: reviewFromRow(a) };
}

/** The audit's spec as YAML (what `Download as YAML` gives). */
/** The spec as YAML in the bundle layout (paths relative to the file): it runs beside the
 *  dataset and model files, as in the audit bundle. */
export function specToYaml(spec: TAuditSpec): string {
  return bundleSpecYaml(bundleSpec(spec), ["The audit bundle (Download audit bundle) holds these files; with this YAML alone, put them beside it."]);
}

export async function getAuditSpecYaml(actor: Actor | null, id: string): Promise<{ name: string; yaml: string }> {
  assertCan(actor, "read");
  const a = await getDb().audit.findUnique({ where: { id }, select: { name: true, spec: true } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  return { name: a.name, yaml: specToYaml(validateSpec(a.spec)) };
}

export const ZComment = z.object({ body: z.string().trim().min(1, "write something").max(5000) });

export async function addComment(actor: Actor | null, auditId: string, input: z.input<typeof ZComment>): Promise<void> {
  assertCan(actor, "comment");
  const valid = parseInput(ZComment, input, { field: "body" });
  const db = getDb();
  const a = await db.audit.findUnique({ where: { id: auditId }, select: { id: true, projectId: true } });
  if (!a) throw new AppError("NOT_FOUND", "no such audit");
  await db.comment.create({ data: { auditId, userId: actor.id, body: valid.body } });
  await recordEventSafely({ actor, action: "comment_add", target: { type: "audit", id: auditId }, projectId: a.projectId, summary: `“${valid.body.length > 200 ? `${valid.body.slice(0, 199)}…` : valid.body}”` });
}

export interface ApiAuditListItem {
  id: string;
  name: string;
  project: string | null;
  status: string;
  progress: number;
  passed: boolean | null;
  createdAt: string;
  finishedAt: string | null;
}

export async function listAuditsForApi(actor: Actor | null, filter: { projectSlug?: string; take?: number }): Promise<ApiAuditListItem[]> {
  assertCan(actor, "read");
  if (filter.projectSlug && !(await getDb().project.findUnique({ where: { slug: filter.projectSlug }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", `no project "${filter.projectSlug}"`);
  }
  const rows = await getDb().audit.findMany({
    where: { archivedAt: null, ...(filter.projectSlug ? { project: { slug: filter.projectSlug } } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(500, filter.take ?? 100),
    select: { id: true, name: true, status: true, progress: true, passed: true, createdAt: true, finishedAt: true, project: { select: { slug: true } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, project: r.project?.slug ?? null, status: r.status, progress: r.progress, passed: r.passed, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null }));
}

/**
 * Reports to compare: for each model version of the project, its latest succeeded audit on the
 * dataset (default: the dataset with the most audited versions), oldest version first.
 */
export async function getComparison(actor: Actor | null, input: { projectSlug: string; datasetId?: string; versionIds?: string[] }) {
  assertCan(actor, "read");
  const db = getDb();
  const project = await db.project.findUnique({ where: { slug: input.projectSlug }, include: { datasets: { select: { id: true, name: true } } } });
  if (!project) throw new AppError("NOT_FOUND", `no project "${input.projectSlug}"`);
  const audits = await db.audit.findMany({
    where: { projectId: project.id, status: "succeeded", modelVersionId: { not: null }, datasetId: { not: null } },
    orderBy: { createdAt: "desc" },
    include: { modelVersion: { include: { model: true } } },
  });
  const byDataset = new Map<string, Set<string>>();
  for (const a of audits) {
    const set = byDataset.get(a.datasetId!) ?? new Set<string>();
    set.add(a.modelVersionId!);
    byDataset.set(a.datasetId!, set);
  }
  const datasetId = input.datasetId ?? [...byDataset.entries()].sort((x, y) => y[1].size - x[1].size)[0]?.[0];
  const latest = new Map<string, (typeof audits)[number]>();
  for (const a of audits) if (a.datasetId === datasetId && !latest.has(a.modelVersionId!)) latest.set(a.modelVersionId!, a);
  const available = [...latest.values()].sort((x, y) => x.modelVersion!.createdAt.getTime() - y.modelVersion!.createdAt.getTime());
  const chosen = input.versionIds?.length ? available.filter((a) => input.versionIds!.includes(a.modelVersionId!)) : available;
  return {
    project,
    datasetId: datasetId ?? null,
    datasets: project.datasets.filter((d) => byDataset.has(d.id)).map((d) => ({ id: d.id, name: d.name, versions: byDataset.get(d.id)!.size })),
    available: available.map((a) => ({ versionId: a.modelVersionId!, label: `${a.modelVersion!.model.name} ${a.modelVersion!.version}`, auditId: a.id })),
    items: chosen.map((a) => ({ label: `${a.modelVersion!.version}`, auditId: a.id, report: a.report as unknown as Report })),
  };
}

/** A stored file's display path (for forms). */
export function displayName(p: string): string {
  return path.basename(p);
}
