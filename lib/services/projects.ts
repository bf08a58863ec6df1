// Use-cases for projects: a project groups the model versions of one use case and the datasets
// they are audited on.

import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { getDb } from "../db/client";
import { assertCan, type Actor } from "../auth/roles";
import { slugify } from "../text";
import { parseInput } from "../validate";
import { recordEventSafely } from "./events";

export const ZCreateProject = z.object({
  name: z.string().trim().min(1, "give the project a name").max(120),
  description: z.string().trim().max(2000).default(""),
});

export async function createProject(actor: Actor | null, input: z.input<typeof ZCreateProject>): Promise<{ id: string; slug: string }> {
  assertCan(actor, "manage_projects");
  const valid = parseInput(ZCreateProject, input);
  const slug = slugify(valid.name);
  const db = getDb();
  if (await db.project.findUnique({ where: { slug } })) throw invalidInput(`a project named like "${valid.name}" exists`, { field: "name" });
  const p = await db.project.create({ data: { slug, name: valid.name, description: valid.description } });
  await recordEventSafely({ actor, action: "project_create", target: { type: "project", id: p.id }, projectId: p.id, summary: `“${valid.name}”` });
  return { id: p.id, slug: p.slug };
}

export interface ProjectListItem {
  id: string;
  slug: string;
  name: string;
  description: string;
  datasets: number;
  versions: number;
  audits: number;
  lastAudit: { id: string; name: string; status: string; passed: boolean | null; reviewState: string; createdAt: Date } | null;
  archivedAt: Date | null;
}

export async function listProjects(actor: Actor | null): Promise<ProjectListItem[]> {
  assertCan(actor, "read");
  const rows = await getDb().project.findMany({
    orderBy: { updatedAt: "desc" },
    include: {
      _count: { select: { datasets: true, audits: true } },
      models: { select: { _count: { select: { versions: true } } } },
      audits: { where: { archivedAt: null }, orderBy: { createdAt: "desc" }, take: 1, select: { id: true, name: true, status: true, passed: true, reviewState: true, createdAt: true } },
    },
  });
  return rows.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    datasets: p._count.datasets,
    audits: p._count.audits,
    versions: p.models.reduce((s, m) => s + m._count.versions, 0),
    lastAudit: p.audits[0] ?? null,
    archivedAt: p.archivedAt,
  }));
}

const PROJECT_AUDITS = {
  orderBy: { createdAt: "desc" },
  select: {
    id: true,
    name: true,
    status: true,
    passed: true,
    progress: true,
    reviewState: true,
    archivedAt: true,
    createdBy: true,
    createdAt: true,
    finishedAt: true,
    datasetId: true,
    modelVersionId: true,
    modelVersion: { select: { version: true, model: { select: { name: true } } } },
    dataset: { select: { name: true } },
  },
} as const;

/** A project with its datasets (without their column profiles: they can be large), models and audits. */
export async function getProjectOrThrow(actor: Actor | null, slug: string) {
  assertCan(actor, "read");
  const p = await getDb().project.findUnique({
    where: { slug },
    include: {
      datasets: { orderBy: { createdAt: "desc" }, omit: { columns: true } },
      models: { orderBy: { createdAt: "asc" }, include: { versions: { orderBy: { createdAt: "asc" } } } },
      audits: PROJECT_AUDITS,
    },
  });
  if (!p) throw new AppError("NOT_FOUND", `no project "${slug}"`);
  return p;
}

/** The same with every dataset's column profile, for the forms that need the columns. */
export async function getProjectWithColumnsOrThrow(actor: Actor | null, slug: string) {
  assertCan(actor, "read");
  const p = await getDb().project.findUnique({
    where: { slug },
    include: {
      datasets: { orderBy: { createdAt: "desc" } },
      models: { orderBy: { createdAt: "asc" }, include: { versions: { orderBy: { createdAt: "asc" } } } },
      audits: PROJECT_AUDITS,
    },
  });
  if (!p) throw new AppError("NOT_FOUND", `no project "${slug}"`);
  return p;
}

/** Just the project's name (breadcrumbs). */
export async function getProjectName(actor: Actor | null, slug: string): Promise<string> {
  assertCan(actor, "read");
  const p = await getDb().project.findUnique({ where: { slug }, select: { name: true } });
  if (!p) throw new AppError("NOT_FOUND", `no project "${slug}"`);
  return p.name;
}
