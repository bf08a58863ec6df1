// The audit trail's actions and how people read them (one home: the events service, the Activity
// page, the CSV export and the audit page's history use these).

export const EVENT_ACTIONS = [
  "sign_in",
  "sign_in_failed",
  "user_create",
  "user_update",
  "password_change",
  "password_reset",
  "token_create",
  "token_revoke",
  "project_create",
  "dataset_upload",
  "dataset_configure",
  "model_version_create",
  "audit_start",
  "audit_cancel",
  "audit_finish",
  "review_submit",
  "review_approve",
  "review_request_changes",
  "review_reject",
  "comment_add",
  "archive",
  "restore",
  "delete",
] as const;

export type EventAction = (typeof EVENT_ACTIONS)[number];

export const EVENT_ACTION_LABELS: Record<EventAction, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Failed sign-in",
  user_create: "Created user",
  user_update: "Changed user",
  password_change: "Changed password",
  password_reset: "Reset password",
  token_create: "Created API token",
  token_revoke: "Revoked API token",
  project_create: "Created project",
  dataset_upload: "Uploaded dataset",
  dataset_configure: "Configured dataset",
  model_version_create: "Added model version",
  audit_start: "Started audit",
  audit_cancel: "Cancelled audit",
  audit_finish: "Audit finished",
  review_submit: "Submitted for review",
  review_approve: "Approved",
  review_request_changes: "Requested changes",
  review_reject: "Rejected",
  comment_add: "Commented",
  archive: "Archived",
  restore: "Restored",
  delete: "Deleted",
};

export function isEventAction(v: unknown): v is EventAction {
  return typeof v === "string" && (EVENT_ACTIONS as readonly string[]).includes(v);
}
