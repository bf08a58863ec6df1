import Link from "next/link";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { getAuditReportOrThrow } from "@/lib/services/get-audit-report";
import { formatCount, formatDate, formatInterval, formatNumber } from "@/lib/format";

export const dynamic = "force-dynamic";

const RATE_COLUMNS: Array<[string, string]> = [
  ["selection_rate", "Selection rate"],
  ["tpr", "TPR"],
  ["fpr", "FPR"],
  ["ppv", "Precision"],
];

export default async function AuditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let audit;
  try {
    audit = await getAuditReportOrThrow(id);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  const r = audit.report;
  return (
    <>
      <p>
        <Link href="/">← Audits</Link>
      </p>
      <h1>{audit.name}</h1>
      {!r ? (
        <p className="empty">Status: {audit.status}{audit.error ? ` — ${audit.error}` : ""}</p>
      ) : (
        <>
          <p className="muted">
            {r.dataset.path} · {formatCount(r.dataset.rows)} rows · {r.model.kind === "score" ? `score column ${r.model.scoreColumn}` : r.model.path} · {r.decision.rule} · backend {r.engine.backend} · {formatDate(r.createdAt)}
          </p>
          <section>
            <h2>
              Policy <span className={`badge ${r.passed ? "pass" : "fail"}`}>{r.passed ? "passed" : "failed"}</span>
            </h2>
            <table className="data">
              <thead>
                <tr>
                  <th>Check</th>
                  <th>Required</th>
                  <th>Value</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {r.policy.map((p, i) => (
                  <tr key={i}>
                    <td>
                      {p.metric}
                      {p.attribute ? ` (${p.attribute}${p.group ? ` = ${p.group}` : ""})` : ""}
                    </td>
                    <td>{[p.min !== undefined ? `≥ ${p.min}` : "", p.max !== undefined ? `≤ ${p.max}` : ""].filter(Boolean).join(" and ")}</td>
                    <td>
                      {formatNumber(p.value)} {p.note ? <span className="muted">· {p.note}</span> : null}
                    </td>
                    <td>{p.pass ? <span className="badge pass">pass</span> : <span className="badge fail">fail</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {r.sections.fairness?.attributes.map((a) => (
            <section key={a.attribute}>
              <h2>Fairness · {a.attribute}</h2>
              <p className="muted">Reference group: {a.reference.group ?? "none"}</p>
              <table className="data">
                <thead>
                  <tr>
                    <th>Group</th>
                    <th className="num">n</th>
                    {RATE_COLUMNS.map(([, label]) => (
                      <th key={label} className="num">
                        {label}
                      </th>
                    ))}
                    <th className="num">Impact ratio</th>
                  </tr>
                </thead>
                <tbody>
                  {a.groups.map((g) => (
                    <tr key={g.group}>
                      <td>
                        {g.group}
                        {g.small ? <span className="badge warn">small</span> : null}
                        {g.reference ? <span className="badge">reference</span> : null}
                      </td>
                      <td className="num">{formatCount(g.n)}</td>
                      {RATE_COLUMNS.map(([id]) => (
                        <td key={id} className="num">
                          {formatNumber(g.rates[id]?.value)} <span className="ci">{formatInterval(g.rates[id]?.ci)}</span>
                        </td>
                      ))}
                      <td className="num">{formatNumber(g.impactRatio.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          {r.warnings.length > 0 && (
            <section>
              <h2>Warnings</h2>
              <ul>
                {r.warnings.map((w, i) => (
                  <li key={i}>{w.message}</li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}
