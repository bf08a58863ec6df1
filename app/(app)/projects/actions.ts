"use server";
// Server actions for projects, datasets and audits: each checks the signed-in user's role in
// the service it calls and returns field errors for the form.

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { createProject } from "@/lib/services/projects";
import { configureDataset } from "@/lib/services/datasets";
import { addComment, cancelAudit, createAudit, rerunAtThreshold } from "@/lib/services/audits";

export interface ActionState {
  error?: { message: string; field?: string; line?: number; column?: string };
  ok?: boolean;
}

function failure(e: unknown): ActionState {
  if (isAppError(e)) return { error: { message: e.userMessage, field: e.location.field, line: e.location.line, column: e.location.column } };
  throw e;
}

export async function createProjectAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let slug: string;
  try {
    slug = (await createProject(await getActor(), { name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") })).slug;
  } catch (e) {
    return failure(e);
  }
  redirect(`/projects/${slug}`);
}

export async function configureDatasetAction(datasetId: string, projectSlug: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await configureDataset(await getActor(), datasetId, {
      label: String(form.get("label") ?? ""),
      positive: String(form.get("positive") ?? ""),
      sensitive: form.getAll("sensitive").map(String),
      ignored: form.getAll("ignored").map(String),
    });
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/projects/${projectSlug}/datasets/${datasetId}`);
  return { ok: true };
}

export async function createAuditAction(projectSlug: string, spec: unknown, rerunOf: string | null = null): Promise<ActionState & { id?: string }> {
  try {
    const { id } = await createAudit(await getActor(), { projectSlug, spec, rerunOf: typeof rerunOf === "string" && rerunOf ? rerunOf : null });
    return { ok: true, id };
  } catch (e) {
    return failure(e);
  }
}

export async function cancelAuditAction(auditId: string): Promise<ActionState> {
  try {
    await cancelAudit(await getActor(), auditId);
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/audits/${auditId}`);
  return { ok: true };
}

/** The threshold slider's "Save as new audit": queues the audit again at `threshold`, opens it. */
export async function rerunAtThresholdAction(auditId: string, threshold: number): Promise<ActionState> {
  let id: string;
  try {
    id = (await rerunAtThreshold(await getActor(), auditId, { threshold })).id;
  } catch (e) {
    return failure(e);
  }
  redirect(`/audits/${id}`);
}

export async function addCommentAction(auditId: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await addComment(await getActor(), auditId, { body: String(form.get("body") ?? "") });
  } catch (e) {
    return failure(e);
  }
  revalidatePath(`/audits/${auditId}`);
  return { ok: true };
}
