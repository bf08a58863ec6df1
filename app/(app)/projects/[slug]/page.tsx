import Link from "next/link";
import type { ModelCapabilities } from "@/lib/engine/model/capabilities";
import { MODEL_KIND_LABEL, type ModelKind } from "@/lib/report/types";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getProjectOrThrow } from "@/lib/services/projects";
import { formatCount, formatDate } from "@/lib/format";
import { StatusBadge } from "../../_components/status-badge";
import { ReviewBadge } from "../../_components/review-badge";
import { orNotFound } from "../../_components/or-not-found";
import { RetentionControls } from "../../_components/retention-controls";

export const dynamic = "force-dynamic";

/** "XGBoost JSON · 100 trees, depth ≤ 5 · no gradients": what the version is and offers. */
function modelVersionText(kind: string, c: ModelCapabilities | null): string {
  const parts = [MODEL_KIND_LABEL[kind as ModelKind] ?? kind];
  if (c?.trees) parts.push(`${c.trees.count} trees, depth ≤ ${c.trees.maxDepth}`);
  if (c) parts.push(c.gradients ? "gradients" : "no gradients");
  return parts.join(" · ");
}

export default async function ProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("read", `/projects/${slug}`);
  const p = await orNotFound(getProjectOrThrow(actor, slug));
  const allVersions = p.models.flatMap((m) => m.versions.map((v) => ({ ...v, modelName: m.name })));
  // archived things are hidden from the lists and shown, restorable, at the end of the page
  const versions = allVersions.filter((v) => !v.archivedAt);
  const datasets = p.datasets.filter((d) => !d.archivedAt);
  const audits = p.audits.filter((a) => !a.archivedAt);
  const archived = [
    ...allVersions.filter((v) => v.archivedAt).map((v) => ({ kind: "model_version" as const, id: v.id, label: `model version ${v.modelName} ${v.version}`, at: v.archivedAt! })),
    ...p.datasets.filter((d) => d.archivedAt).map((d) => ({ kind: "dataset" as const, id: d.id, label: `dataset ${d.name}`, at: d.archivedAt! })),
    ...p.audits.filter((a) => a.archivedAt).map((a) => ({ kind: "audit" as const, id: a.id, label: `audit “${a.name}”`, at: a.archivedAt! })),
  ];
  const canArchive = can(actor, "archive");
  const canDelete = can(actor, "delete");
  const succeededVersions = new Set(p.audits.filter((a) => a.status === "succeeded").map((a) => a.modelVersionId));
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>{p.name}</h1>
          {p.description ? <p className="muted">{p.description}</p> : null}
        </div>
        <div className="actions">
          {can(actor, "upload") ? (
            <>
              <Link className="btn" href={`/projects/${slug}/datasets/new`}>
                Upload dataset
              </Link>
              <Link className="btn" href={`/projects/${slug}/models/new`}>
                Add model version
              </Link>
            </>
          ) : null}
          {can(actor, "run_audit") && datasets.length > 0 && versions.length > 0 ? (
            <Link className="btn btn-primary" href={`/projects/${slug}/audits/new`}>
              New audit
            </Link>
          ) : null}
          {succeededVersions.size >= 2 ? (
            <Link className="btn" href={`/projects/${slug}/compare`}>
              Compare versions
            </Link>
          ) : null}
        </div>
      </div>

      <h2>Model versions</h2>
      {versions.length === 0 ? (
        <p className="empty">No model versions yet. Upload an ONNX, XGBoost or TF.js model, or declare a score column for a vendor model.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Model</th>
              <th>Version</th>
              <th>Kind</th>
              <th>Added</th>
              <th>By</th>
              {canArchive || canDelete ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>{v.modelName}</td>
                <td>{v.version}</td>
                <td>{v.kind === "score" ? `score column "${v.scoreColumn}"${v.probability ? " (probability)" : ""}` : modelVersionText(v.kind, v.capabilities as ModelCapabilities | null)}</td>
                <td>{formatDate(v.createdAt)}</td>
                <td>{v.createdBy}</td>
                {canArchive || canDelete ? (
                  <td>
                    <RetentionControls kind="model_version" id={v.id} label={`model version ${v.modelName} ${v.version}`} archived={false} canArchive={canArchive} canDelete={canDelete} afterDelete={`/projects/${slug}`} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Datasets</h2>
      {datasets.length === 0 ? (
        <p className="empty">No datasets yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Dataset</th>
              <th className="num">Rows</th>
              <th>Label</th>
              <th>Sensitive attributes</th>
              <th>Added</th>
              {canArchive || canDelete ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/projects/${slug}/datasets/${d.id}`}>{d.name}</Link>
                </td>
                <td className="num">{formatCount(d.rows)}</td>
                <td>{d.label ? `${d.label} = ${d.positive}` : <span className="badge warn">not configured</span>}</td>
                <td>{((d.sensitive as string[] | null) ?? []).join(", ") || "—"}</td>
                <td>{formatDate(d.createdAt)}</td>
                {canArchive || canDelete ? (
                  <td>
                    <RetentionControls kind="dataset" id={d.id} label={`dataset ${d.name}`} archived={false} canArchive={canArchive} canDelete={canDelete} afterDelete={`/projects/${slug}`} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Audits</h2>
      {audits.length === 0 ? (
        <p className="empty">No audits yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Audit</th>
              <th>Version</th>
              <th>Dataset</th>
              <th>Result</th>
              <th>Started</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {audits.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/audits/${a.id}`}>{a.name}</Link>
                </td>
                <td>{a.modelVersion ? a.modelVersion.version : "—"}</td>
                <td>{a.dataset?.name ?? "—"}</td>
                <td>
                  <StatusBadge status={a.status} passed={a.passed} /> <ReviewBadge state={a.reviewState} status={a.status} />
                  {a.status === "running" ? <span className="muted small"> {Math.round(a.progress * 100)}%</span> : null}
                </td>
                <td>{formatDate(a.createdAt)}</td>
                <td>{a.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {archived.length ? (
        <details className="archived">
          <summary>Archived ({archived.length})</summary>
          <ul>
            {archived.map((x) => (
              <li key={`${x.kind}-${x.id}`}>
                {x.kind === "audit" ? <Link href={`/audits/${x.id}`}>{x.label}</Link> : x.label} <span className="muted small">archived {formatDate(x.at)}</span>{" "}
                <RetentionControls kind={x.kind} id={x.id} label={x.label} archived canArchive={canArchive} canDelete={canDelete && x.kind !== "audit"} afterDelete={`/projects/${slug}`} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canArchive || canDelete ? (
        <p className="muted small project-retention">
          This project: <RetentionControls kind="project" id={p.id} label={`the project “${p.name}” with its datasets, model versions and audits`} archived={Boolean(p.archivedAt)} canArchive={canArchive} canDelete={canDelete} afterDelete="/" />
        </p>
      ) : null}
    </>
  );
}
