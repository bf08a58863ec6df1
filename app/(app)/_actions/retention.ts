"use server";

// Archive, restore and delete from the pages (lib/services/retention.ts checks roles and refuses
// what an approved audit uses).

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { AppError, isAppError } from "@/lib/errors";
import { deleteForGood, isRetentionKind, setArchived } from "@/lib/services/retention";

export interface RetentionState {
  error?: string;
  ok?: boolean;
}

export async function archiveAction(kind: string, id: string, archived: boolean): Promise<RetentionState> {
  try {
    if (!isRetentionKind(kind)) throw new AppError("INVALID_INPUT", "nothing of that kind can be archived");
    await setArchived(await getActor(), kind, id, archived === true);
  } catch (e) {
    if (isAppError(e)) return { error: e.userMessage };
    throw e;
  }
  revalidatePath("/", "layout");
  return { ok: true };
}

export async function deleteAction(kind: string, id: string, then: string): Promise<RetentionState> {
  try {
    if (!isRetentionKind(kind)) throw new AppError("INVALID_INPUT", "nothing of that kind can be deleted");
    await deleteForGood(await getActor(), kind, id);
  } catch (e) {
    if (isAppError(e)) return { error: e.userMessage };
    throw e;
  }
  revalidatePath("/", "layout");
  // only a path of this app ("/\\evil.com" reads as another site: lib/auth/redirect.ts)
  redirect(safeCallbackPath(then));
}
