"use server";
// Server actions of the settings pages: API tokens (everyone, for themselves) and users (admins).

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { createApiToken, revokeApiToken } from "@/lib/services/api-tokens";
import { createUser, resetUserPassword, updateUser } from "@/lib/services/users";
import type { Role } from "@/lib/auth/roles";

export interface SettingsState {
  error?: { message: string; field?: string };
  token?: string;
  ok?: boolean;
  /** A one-time password (new user or reset), shown once. */
  oneTimePassword?: string;
  email?: string;
}

function failure(e: unknown): SettingsState {
  if (isAppError(e)) return { error: { message: e.userMessage, field: e.location.field } };
  throw e;
}

export async function createTokenAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    const days = String(form.get("expiresInDays") ?? "").trim();
    const { token } = await createApiToken(await getActor(), { name: String(form.get("name") ?? ""), ...(days ? { expiresInDays: Number(days) } : {}) });
    revalidatePath("/settings");
    return { token };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeTokenAction(tokenId: string): Promise<SettingsState> {
  try {
    await revokeApiToken(await getActor(), tokenId);
    revalidatePath("/settings");
    return { ok: true };
  } catch (e) {
    return failure(e);
  }
}

export async function createUserAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  try {
    const u = await createUser(await getActor(), {
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? ""),
      role: String(form.get("role") ?? "reviewer") as Role,
    });
    revalidatePath("/settings/users");
    return { ok: true, oneTimePassword: u.oneTimePassword, email: u.email };
  } catch (e) {
    return failure(e);
  }
}

export async function updateUserAction(userId: string, patch: { role?: Role; disabled?: boolean }): Promise<SettingsState> {
  try {
    await updateUser(await getActor(), userId, patch);
    revalidatePath("/settings/users");
    return { ok: true };
  } catch (e) {
    return failure(e);
  }
}

/** An admin resets a user's password: a one-time password, shown once; the user's sessions end. */
export async function resetPasswordAction(userId: string): Promise<SettingsState> {
  try {
    const r = await resetUserPassword(await getActor(), userId);
    return { ok: true, oneTimePassword: r.password, email: r.email };
  } catch (e) {
    return failure(e);
  }
}
