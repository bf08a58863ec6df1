// My reviews: audits in review that the signed-in reviewer (or admin) may decide — those asked of
// them by name first, then those open to any reviewer. Never their own audits (four eyes).

import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { myReviews } from "@/lib/services/review";
import { formatDate } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function MyReviewsPage() {
  const actor = await requirePermission("decide_review", "/reviews");
  const items = await myReviews(actor);
  return (
    <>
      <h1>My reviews</h1>
      <p className="muted">Audits submitted for review that you may decide. Audits you started or submitted are not listed: a second person decides them.</p>
      {items.length === 0 ? (
        <p className="empty">Nothing waits for your review.</p>
      ) : (
        <div className="scroll-x">
          <table className="data">
            <thead>
              <tr>
                <th>Audit</th>
                <th>Project</th>
                <th>Started by</th>
                <th>Submitted</th>
                <th>Asked of</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/audits/${r.id}#review-heading`}>{r.name}</Link>
                  </td>
                  <td>{r.project ? <Link href={`/projects/${r.project.slug}`}>{r.project.name}</Link> : "—"}</td>
                  <td>{r.startedBy}</td>
                  <td>{r.submittedAt ? `${formatDate(r.submittedAt)} by ${r.submittedBy}` : "—"}</td>
                  <td>{r.askedOfMe ? <strong>you</strong> : "any reviewer"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
