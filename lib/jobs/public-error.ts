// What a failed audit says to everyone who can read it: an AppError's message for people with
// server paths cut to file names, or, for anything else (a bug, an exception from a library), a
// plain sentence with a reference that an administrator finds in the worker log beside the
// stack trace. Internals never reach audit.error.

import { randomBytes } from "node:crypto";
import { isAppError } from "../errors";

/** Absolute paths (POSIX or Windows) cut to their last part: "/srv/assay/data/models/x/model.json" → "model.json". */
export function scrubPaths(text: string): string {
  return text.replace(/(?:[A-Za-z]:\\|\/)(?:[^\s"'`:,;()<>]+[\\/])+([^\s"'`:,;()<>\\/]+)/g, "$1");
}

export interface PublicError {
  /** Stored in audit.error: safe to show. */
  message: string;
  /** Written to the worker log only (null for an AppError, whose message is the whole story). */
  log: string | null;
}

export function publicError(err: unknown): PublicError {
  if (isAppError(err)) return { message: scrubPaths(err.message).slice(0, 2000), log: null };
  const ref = randomBytes(4).toString("hex");
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    message: `internal error (reference ${ref}): the audit could not finish. This is a fault in Assay, not in your inputs; an administrator can find the details in the worker log under this reference.`,
    log: `[${ref}] ${e.stack ?? e.message}`,
  };
}
