import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getDatasetOrThrow } from "@/lib/services/datasets";
import { formatBytes } from "@/lib/engine/data/csv";
import { formatCount, formatDate } from "@/lib/format";
import { ConfigureDatasetForm } from "./configure-form";
import { orNotFound } from "../../../../_components/or-not-found";

export const dynamic = "force-dynamic";

export default async function DatasetPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const actor = await requirePermission("read", `/projects/${slug}/datasets/${id}`);
  const d = await orNotFound(getDatasetOrThrow(actor, id));
  const p = d.profile;
  const candidates = Object.entries(p.valueCounts ?? {}).filter(([, counts]) => counts.length <= 20);
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{d.project.name}</Link> /
      </p>
      <h1>{d.name}</h1>
      <p className="muted">
        {formatCount(d.rows)} rows · {p.columns.length} columns · {formatBytes(d.sizeBytes)} · SHA-256 <code>{d.sha256.slice(0, 16)}…</code> · uploaded {formatDate(d.createdAt)} by {d.createdBy}
      </p>

      <h2>Audit defaults</h2>
      {can(actor, "upload") ? (
        <ConfigureDatasetForm
          datasetId={d.id}
          projectSlug={slug}
          columns={p.columns.map((c) => ({ name: c.name, type: c.type, distinct: c.distinct }))}
          valueCounts={p.valueCounts ?? {}}
          initial={{ label: d.label ?? "", positive: d.positive ?? "", sensitive: d.sensitive, ignored: d.ignored }}
        />
      ) : (
        <p>{d.label ? `Label ${d.label} = ${d.positive}; sensitive: ${d.sensitive.join(", ")}` : "Not configured yet."}</p>
      )}

      <h2>Columns</h2>
      <div className="scroll-x">
        <table className="data">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th className="num">Missing</th>
              <th className="num">Distinct</th>
              <th>Range</th>
            </tr>
          </thead>
          <tbody>
            {p.columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td className="num">{c.missing ? <span className="badge warn">{formatCount(c.missing)}</span> : 0}</td>
                <td className="num">{formatCount(c.distinct)}</td>
                <td>{c.min !== undefined ? `${c.min} – ${c.max}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {candidates.length ? (
        <>
          <h2>Group sizes</h2>
          <p className="muted small">Columns with few distinct values: candidate labels and sensitive attributes. Groups under 30 rows give unstable rates.</p>
          <div className="cards">
            {candidates.map(([name, counts]) => (
              <div className="card" key={name}>
                <h3>{name}</h3>
                <table className="data">
                  <tbody>
                    {counts.map((v) => (
                      <tr key={v.value}>
                        <td>{v.value}</td>
                        <td className="num">
                          {formatCount(v.count)} {v.count < 30 ? <span className="badge warn">small</span> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
        </>
      ) : null}

      {p.preview?.length ? (
        <>
          <h2>First rows</h2>
          <div className="scroll-x">
            <table className="data">
              <thead>
                <tr>
                  {(p.header ?? []).map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.preview.map((row, i) => (
                  <tr key={i}>
                    {row.map((v, k) => (
                      <td key={k}>{v === "" ? <span className="muted">∅</span> : v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
