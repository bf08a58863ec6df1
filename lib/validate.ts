// The one place a zod failure becomes our AppError (INVALID_INPUT, HTTP 422): the first issue's
// message for people, its dotted path as the field. Services parse their input with parseInput;
// route handlers let a thrown ZodError reach errorResponse, which uses zodError too.

import type { z } from "zod";
import { invalidInput, type AppError, type ErrorLocation } from "./errors";

/** The first issue of a zod error as an INVALID_INPUT AppError; `field` when the issue has no path. */
export function zodError(error: z.ZodError, location: ErrorLocation = {}): AppError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return invalidInput(issue?.message ?? "invalid input", { ...location, ...(path ? { field: path } : location.field ? { field: location.field } : {}) });
}

/** `schema.parse(input)`, throwing INVALID_INPUT (422) instead of a ZodError. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, location: ErrorLocation = {}): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodError(parsed.error, location);
  return parsed.data;
}
