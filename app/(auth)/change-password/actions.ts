"use server";

// Changing one's own password (a one-time password must be changed before anything else).

import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/session";
import { reissueSessionCookie } from "@/lib/auth/reissue";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { isAppError } from "@/lib/errors";
import { changeOwnPassword } from "@/lib/services/users";

export interface ChangePasswordState {
  error?: { message: string; field?: string };
}

export async function changePasswordAction(callbackUrl: string, _prev: ChangePasswordState, form: FormData): Promise<ChangePasswordState> {
  try {
    const next = String(form.get("next") ?? "");
    if (next !== String(form.get("confirm") ?? "")) return { error: { message: "the two new passwords differ", field: "confirm" } };
    const { sessionVersion } = await changeOwnPassword(await getActor(), { current: String(form.get("current") ?? ""), next });
    await reissueSessionCookie(sessionVersion);
  } catch (e) {
    if (isAppError(e)) return { error: { message: e.userMessage, field: e.location.field } };
    throw e;
  }
  redirect(safeCallbackPath(callbackUrl));
}
