import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { listProjects } from "@/lib/services/projects";
import { formatDate } from "@/lib/format";
import { StatusBadge } from "./_components/status-badge";
import { ReviewBadge } from "./_components/review-badge";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const actor = await requirePermission("read", "/");
  const all = await listProjects(actor);
  const projects = all.filter((p) => !p.archivedAt);
  const archived = all.filter((p) => p.archivedAt);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Projects</h1>
          <p className="muted">A project holds the versions of one model, the datasets they are audited on, and their audits.</p>
        </div>
        {can(actor, "manage_projects") ? (
          <Link className="btn btn-primary" href="/projects/new">
            New project
          </Link>
        ) : null}
      </div>
      {projects.length === 0 ? (
        <p className="empty">No projects yet.</p>
      ) : (
        <div className="cards">
          {projects.map((p) => (
            <article className="card" key={p.id}>
              <Link className="title" href={`/projects/${p.slug}`}>
                {p.name}
              </Link>
              {p.description ? <p className="muted small">{p.description}</p> : null}
              <div className="stat">
                <span>{p.versions} model versions</span>
                <span>{p.datasets} datasets</span>
                <span>{p.audits} audits</span>
              </div>
              {p.lastAudit ? (
                <p className="small">
                  Last audit: <Link href={`/audits/${p.lastAudit.id}`}>{p.lastAudit.name}</Link> <StatusBadge status={p.lastAudit.status} passed={p.lastAudit.passed} /> <ReviewBadge state={p.lastAudit.reviewState} status={p.lastAudit.status} />
                  <br />
                  <span className="muted">{formatDate(p.lastAudit.createdAt)}</span>
                </p>
              ) : null}
            </article>
          ))}
        </div>
      )}
      {archived.length ? (
        <details className="archived">
          <summary>Archived projects ({archived.length})</summary>
          <ul>
            {archived.map((p) => (
              <li key={p.id}>
                <Link href={`/projects/${p.slug}`}>{p.name}</Link> <span className="muted small">archived {formatDate(p.archivedAt!)}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
