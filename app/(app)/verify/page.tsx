// /verify: which audit a report (JSON or PDF) or a report SHA-256 belongs to, its review state,
// who approved it and whether the approval recorded this exact hash.

import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { lookupReportHash, type HashLookup } from "@/lib/services/review";
import { ReviewBadge } from "../_components/review-badge";
import { VerifyForm } from "./verify-form";

export const dynamic = "force-dynamic";

export default async function VerifyPage({ searchParams }: { searchParams: Promise<{ sha256?: string }> }) {
  const actor = await requirePermission("read", "/verify");
  const { sha256 } = await searchParams;
  let result: HashLookup | null = null;
  let error: string | null = null;
  if (sha256) {
    try {
      result = await lookupReportHash(actor, sha256);
    } catch (e) {
      if (!isAppError(e)) throw e;
      error = e.userMessage;
    }
  }
  return (
    <>
      <h1>Verify a report</h1>
      <p className="muted">Check that a report you were sent is one Assay holds, and whether it was approved — for the exact bytes of its numbers: the SHA-256 of the report&apos;s canonical JSON, the one on a PDF&apos;s cover.</p>
      <VerifyForm initial={result?.sha256 ?? sha256 ?? ""} />
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      {result ? (
        result.audits.length === 0 ? (
          <div className="notice error" role="status">
            <strong>No audit in Assay has this report.</strong> SHA-256 <code className="hash">{result.sha256}</code> matches no stored report: the report was changed after it was made, comes from another Assay installation, or was never stored (a CLI run without --save).
          </div>
        ) : (
          result.audits.map((a) => (
            <div key={a.id} className={`notice ${a.state === "approved" && a.approvedHashMatches ? "pass" : a.state === "rejected" ? "error" : "warn"}`} role="status">
              <p>
                <strong>
                  This is the report of <Link href={`/audits/${a.id}`}>{a.name}</Link>
                </strong>
                {a.project ? ` (project ${a.project})` : ""} <ReviewBadge state={a.state} />
              </p>
              {a.approvedBy ? (
                <p>
                  Approved by {a.approvedBy.name} ({a.approvedBy.role}) on {formatDate(a.approvedBy.at)}
                  {a.approvedBy.conditions ? `, with conditions: ${a.approvedBy.conditions}` : ""}.{" "}
                  {a.approvedHashMatches ? "The approval was recorded for exactly this report (same SHA-256)." : "The approval was recorded for a different report hash: it does not cover this one."}
                </p>
              ) : (
                <p>Not approved: {a.stateLabel.toLowerCase()}.</p>
              )}
              <p className="muted small">
                SHA-256 <code className="hash">{result!.sha256}</code>
              </p>
            </div>
          ))
        )
      ) : null}
    </>
  );
}
