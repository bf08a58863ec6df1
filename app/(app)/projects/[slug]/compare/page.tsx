import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { getComparison } from "@/lib/services/audits";
import { CompareView } from "@/components/report/CompareView";
import { orNotFound } from "../../../_components/or-not-found";

export const dynamic = "force-dynamic";

export default async function ComparePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ dataset?: string; v?: string | string[] }> }) {
  const { slug } = await params;
  const q = await searchParams;
  const actor = await requirePermission("read", `/projects/${slug}/compare`);
  const c = await orNotFound(getComparison(actor, { projectSlug: slug, datasetId: q.dataset, versionIds: q.v === undefined ? undefined : Array.isArray(q.v) ? q.v : [q.v] }));
  const chosen = new Set(c.items.map((i) => i.auditId));
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{c.project.name}</Link> /
      </p>
      <h1>Compare versions</h1>
      <form className="form wide" method="get">
        <div className="row">
          <label className="field">
            <span>Dataset</span>
            <select name="dataset" defaultValue={c.datasetId ?? ""}>
              {c.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.versions} versions audited)
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>Versions (latest audit of each)</legend>
            <div className="checks">
              {c.available.map((v) => (
                <label key={v.versionId}>
                  <input type="checkbox" name="v" value={v.versionId} defaultChecked={chosen.has(v.auditId)} /> {v.label}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <div>
          <button className="btn" type="submit">
            Update
          </button>
        </div>
      </form>
      {c.items.length < 2 ? (
        <p className="empty">Choose at least two versions audited on the same dataset.</p>
      ) : (
        <CompareView items={c.items.map((i) => ({ label: i.label, report: i.report }))} />
      )}
    </>
  );
}
