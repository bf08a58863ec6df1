import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { listAudits } from "@/lib/services/list-audits";
import { formatDate } from "@/lib/format";
import { StatusBadge } from "../_components/status-badge";
import { ReviewBadge } from "../_components/review-badge";

export const dynamic = "force-dynamic";

export default async function AuditsPage() {
  const actor = await requirePermission("read", "/audits");
  const audits = await listAudits(actor);
  return (
    <>
      <h1>Audits</h1>
      <p className="muted">
        Every audit, newest first. Start one from a project, or from a pipeline with <code>npx assay submit SPEC</code>.
      </p>
      {audits.length === 0 ? (
        <p className="empty">No audits yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Audit</th>
              <th>Project</th>
              <th>Model version</th>
              <th>Dataset</th>
              <th>Policy</th>
              <th>Finished</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {audits.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/audits/${a.id}`}>{a.name}</Link>
                </td>
                <td>{a.project ?? "—"}</td>
                <td>{a.modelVersion ?? "—"}</td>
                <td>{a.dataset ?? "—"}</td>
                <td>
                  <StatusBadge status={a.status} passed={a.passed} /> <ReviewBadge state={a.reviewState} status={a.status} />
                </td>
                <td>{a.finishedAt ? formatDate(a.finishedAt) : "—"}</td>
                <td>{a.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
