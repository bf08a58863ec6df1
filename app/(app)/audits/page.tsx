import Link from "next/link";
import { listAudits } from "@/lib/services/list-audits";
import { formatDate } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function AuditsPage() {
  const audits = await listAudits();
  return (
    <>
      <h1>Audits</h1>
      <p className="muted">
        Stored audit reports, newest first. Run one with <code>npx assay audit SPEC --save</code>.
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
                  {a.status !== "succeeded" ? (
                    <span className="badge">{a.status}</span>
                  ) : a.passed ? (
                    <span className="badge pass">passed</span>
                  ) : (
                    <span className="badge fail">failed</span>
                  )}
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
