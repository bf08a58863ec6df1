import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { getProjectWithColumnsOrThrow } from "@/lib/services/projects";
import { normalizeProfile } from "@/lib/services/datasets";
import { NewAuditForm, type FormDataset, type FormVersion } from "./new-audit-form";
import type { ModelCapabilities } from "@/lib/engine/model/capabilities";
import { MODEL_KIND_LABEL, type ModelKind } from "@/lib/report/types";
import { orNotFound } from "../../../../_components/or-not-found";

export const dynamic = "force-dynamic";

/** A model version as the form offers it: what it is and what its model can do. */
function modelVersionOption(v: { id: string; kind: string; version: string; path: string | null; capabilities: unknown }, model: string): FormVersion {
  const c = v.capabilities as ModelCapabilities | null;
  // versions stored before capabilities were recorded: TF.js models have gradients, XGBoost trees
  const trees = c ? c.trees !== null : v.kind === "xgboost-json";
  const gradients = c ? c.gradients !== null : v.kind === "tfjs-layers";
  const what = [MODEL_KIND_LABEL[v.kind as ModelKind] ?? v.kind, trees ? "tree ensemble" : null].filter(Boolean).join(", ");
  return { id: v.id, kind: "model", format: v.kind, label: `${model} ${v.version} (${what})`, model, version: v.version, path: v.path!, trees, gradients };
}

export default async function NewAuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ version?: string; dataset?: string; rerunOf?: string }> }) {
  const { slug } = await params;
  const query = await searchParams;
  const actor = await requirePermission("run_audit", `/projects/${slug}/audits/new`);
  const p = await orNotFound(getProjectWithColumnsOrThrow(actor, slug));
  // archived datasets and model versions are not offered
  const datasets: FormDataset[] = p.datasets.filter((d) => !d.archivedAt).map((d) => {
    const profile = normalizeProfile(d.columns);
    const counts = profile.valueCounts ?? {};
    return {
      id: d.id,
      path: d.path,
      name: d.name,
      rows: d.rows,
      label: d.label ?? "",
      positive: d.positive ?? "",
      sensitive: (d.sensitive as string[] | null) ?? [],
      binaryColumns: Object.entries(counts)
        .filter(([, v]) => v.filter((x) => x.value !== "(missing)").length === 2)
        .map(([name, v]) => ({ name, values: v.filter((x) => x.value !== "(missing)").map((x) => x.value) })),
      groupColumns: Object.keys(counts).length ? Object.keys(counts) : profile.columns.map((c) => c.name),
      groupValues: Object.fromEntries(Object.entries(counts).map(([col, v]) => [col, v.map((x) => x.value).filter((x) => x !== "(missing)")])),
    };
  });
  const versions: FormVersion[] = p.models.flatMap((m) =>
    m.versions.filter((v) => !v.archivedAt).map((v) =>
      v.kind === "score"
        ? { id: v.id, kind: "score" as const, label: `${m.name} ${v.version} (score column ${v.scoreColumn})`, model: m.name, version: v.version, scoreColumn: v.scoreColumn!, probability: v.probability }
        : modelVersionOption(v, m.name),
    ),
  );
  return (
    <>
      <p className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{p.name}</Link> /
      </p>
      <h1>New audit</h1>
      <p className="muted">The audit runs in the background; you can follow it live. The same spec can be downloaded as YAML and run by the CLI.</p>
      {datasets.length === 0 || versions.length === 0 ? (
        <p className="empty">A project needs a dataset and a model version before an audit.</p>
      ) : (
        <NewAuditForm projectSlug={slug} projectName={p.name} datasets={datasets} versions={versions} initialVersion={query.version} initialDataset={query.dataset} rerunOf={query.rerunOf} />
      )}
    </>
  );
}
