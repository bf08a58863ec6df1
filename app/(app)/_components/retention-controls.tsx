"use client";

// Archive / Restore / Delete buttons for a project, dataset, model version or audit. The server
// decides which to show and checks again; Delete asks for confirmation first.

import { useState, useTransition } from "react";
import { archiveAction, deleteAction } from "../_actions/retention";

export function RetentionControls({ kind, id, label, archived, canArchive, canDelete, afterDelete }: { kind: "project" | "dataset" | "model_version" | "audit"; id: string; label: string; archived: boolean; canArchive: boolean; canDelete: boolean; afterDelete: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!canArchive && !canDelete) return null;
  return (
    <span className="actions retention">
      {canArchive ? (
        <button type="button" className="btn btn-link" disabled={pending} onClick={() => start(async () => setError((await archiveAction(kind, id, !archived)).error ?? null))}>
          {archived ? "Restore" : "Archive"}
        </button>
      ) : null}
      {canDelete ? (
        <button
          type="button"
          className="btn btn-link btn-danger"
          disabled={pending}
          onClick={() => {
            if (!window.confirm(`Delete ${label} for good? ${kind === "dataset" ? "Its file is removed from the server. " : ""}This cannot be undone.`)) return;
            start(async () => setError((await deleteAction(kind, id, afterDelete))?.error ?? null));
          }}
        >
          Delete
        </button>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
