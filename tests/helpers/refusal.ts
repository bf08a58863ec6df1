// A service call's refusal as { code, message } (its AppError), to compare in one expect; fails
// when the call succeeds.

import { AppError } from "../../lib/errors";

export async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.userMessage };
    throw e;
  }
  throw new Error("expected a refusal");
}
