// One error type for the whole app: a code that maps once to HTTP / CLI exit codes, a message
// for logs, a message for people, and where in an input the problem is.

export type ErrorCode = "INVALID_INPUT" | "UNAUTHORIZED" | "FORBIDDEN" | "PASSWORD_CHANGE_REQUIRED" | "NOT_FOUND" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "TOO_MANY_REQUESTS" | "CANCELLED" | "INTERNAL";

export interface ErrorLocation {
  /** File name as the user gave it. */
  file?: string;
  /** 1-based physical line in the file. */
  line?: number;
  /** Column name (CSV header) or 1-based index. */
  column?: string;
  /** Field of a form, spec or request body (dotted path). */
  field?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, options: { userMessage?: string; location?: ErrorLocation; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? message;
    this.location = options.location ?? {};
  }
}

/** Bad input from a user: a file, a spec, a form, a request body. */
export function invalidInput(message: string, location: ErrorLocation = {}): AppError {
  return new AppError("INVALID_INPUT", formatLocated(message, location), { location, userMessage: message });
}

/** "file.csv, line 12, column "age": message" — the prefix names only what is known. */
export function formatLocated(message: string, loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column "${loc.column}"`);
  if (loc.field !== undefined) parts.push(`field "${loc.field}"`);
  return parts.length ? `${parts.join(", ")}: ${message}` : message;
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  CANCELLED: 409,
  INTERNAL: 500,
};

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
