"use client";

import { useTransition } from "react";
import { cancelAuditAction } from "../../../projects/actions";

export function CancelButton({ auditId }: { auditId: string }) {
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className="btn btn-danger"
      disabled={pending}
      onClick={() => {
        if (window.confirm("Cancel this audit? Its partial results are discarded.")) start(async () => void (await cancelAuditAction(auditId)));
      }}
    >
      {pending ? "Cancelling…" : "Cancel audit"}
    </button>
  );
}
