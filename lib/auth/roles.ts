// Roles and what each may do. Every page, route handler, server action and service checks a
// permission from here on the server.

import { AppError } from "../errors";

export const ROLES = ["admin", "data_scientist", "reviewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  data_scientist: "Data scientist",
  reviewer: "Reviewer",
};

export type Permission =
  | "read" // projects, datasets, models, audits, reports
  | "comment"
  | "upload" // datasets and model versions
  | "run_audit" // create and cancel audits
  | "manage_projects"
  | "manage_users"
  | "own_tokens" // create and revoke one's own API tokens
  | "submit_review" // submit an audit for review
  | "decide_review" // approve, request changes, reject (never one's own audit: lib/services/review.ts)
  | "read_trail" // the activity log of the whole deployment
  | "archive" // archive and restore projects, datasets, model versions, audits
  | "delete"; // delete what no approved audit uses

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ["read", "comment", "upload", "run_audit", "manage_projects", "manage_users", "own_tokens", "submit_review", "decide_review", "read_trail", "archive", "delete"],
  data_scientist: ["read", "comment", "upload", "run_audit", "manage_projects", "own_tokens", "submit_review", "archive"],
  reviewer: ["read", "comment", "own_tokens", "decide_review", "read_trail"],
};

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Holds a one-time password (an admin's reset or a new account): nothing but changing it is allowed. */
  mustChangePassword?: boolean;
}

export const PASSWORD_CHANGE_MESSAGE = "change your one-time password first (Settings → Change password, or POST /api/account/password with a signed-in session)";

export function can(actor: Pick<Actor, "role"> | null | undefined, permission: Permission): boolean {
  return !!actor && GRANTS[actor.role].includes(permission);
}

/** Throws UNAUTHORIZED for no actor, FORBIDDEN for a role without the permission. */
export function assertCan(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("UNAUTHORIZED", "sign in first");
  if (actor.mustChangePassword) throw new AppError("PASSWORD_CHANGE_REQUIRED", PASSWORD_CHANGE_MESSAGE);
  if (!can(actor, permission)) {
    throw new AppError("FORBIDDEN", `${ROLE_LABELS[actor.role]}s may not ${PERMISSION_TEXT[permission]}`);
  }
}

const PERMISSION_TEXT: Record<Permission, string> = {
  read: "read audits",
  comment: "comment",
  upload: "upload datasets or models",
  run_audit: "run or cancel audits",
  manage_projects: "create projects",
  manage_users: "manage users",
  own_tokens: "manage API tokens",
  submit_review: "submit audits for review",
  decide_review: "approve, reject or request changes to audits",
  read_trail: "read the activity log",
  archive: "archive or restore",
  delete: "delete",
};

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}
