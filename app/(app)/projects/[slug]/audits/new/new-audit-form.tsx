"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { stringify } from "yaml";
import { crossed, presetChecks, presetMinGroupShare, specFromForm, type AuditFormValues, type PolicyPreset, type PolicyRow } from "@/lib/spec/from-form";
import { DEFAULTS, type PositiveDecision } from "@/lib/vocabulary";
import { guessLabelColumn } from "@/lib/spec/label";
import { bundleSpec, bundleSpecYaml } from "@/lib/spec/bundle";
import { ZAuditSpec } from "@/lib/spec/schema";
import { createAuditAction, type ActionState } from "../../../actions";

export interface FormDataset {
  id: string;
  path: string;
  name: string;
  rows: number;
  label: string;
  positive: string;
  sensitive: string[];
  binaryColumns: Array<{ name: string; values: string[] }>;
  groupColumns: string[];
  /** The values of each candidate sensitive column (for choosing a reference group). */
  groupValues: Record<string, string[]>;
}

export type FormVersion =
  /** A model (TF.js, ONNX, XGBoost): trees → TreeSHAP is offered; gradients → PGD and FGSM are. */
  | { id: string; kind: "model"; format: string; label: string; model: string; version: string; path: string; trees: boolean; gradients: boolean }
  | { id: string; kind: "score"; label: string; model: string; version: string; scoreColumn: string; probability: boolean };

const METRICS = [
  "impact_ratio",
  "demographic_parity_ratio",
  "demographic_parity_difference",
  "equalized_odds_difference",
  "equalized_odds_ratio",
  "equal_opportunity_difference",
  "selection_rate",
  "fpr",
  "tpr",
  "accuracy",
  "roc_auc",
  "flip_rate",
  "robustness_disparity",
  "mean_abs_shap",
];

export function NewAuditForm(props: { projectSlug: string; projectName: string; datasets: FormDataset[]; versions: FormVersion[]; initialVersion?: string; initialDataset?: string; /** The audit this one re-runs (after its reviewer asked for changes). */ rerunOf?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [versionId, setVersionId] = useState(props.versions.find((v) => v.id === props.initialVersion)?.id ?? props.versions[props.versions.length - 1]!.id);
  const [datasetId, setDatasetId] = useState(props.datasets.find((d) => d.id === props.initialDataset)?.id ?? props.datasets[0]!.id);
  const dataset = props.datasets.find((d) => d.id === datasetId)!;
  const version = props.versions.find((v) => v.id === versionId)!;
  const [label, setLabel] = useState(dataset.label || guessLabelColumn(dataset.binaryColumns.map((c) => c.name), dataset.sensitive));
  const [positive, setPositive] = useState(dataset.positive);
  const [sensitive, setSensitive] = useState<string[]>(dataset.sensitive);
  /** The attributes crossed into the intersection (the LL144 preset crosses only these). */
  const [intersections, setIntersections] = useState<string[]>(dataset.sensitive);
  const [positiveDecision, setPositiveDecision] = useState<PositiveDecision>(DEFAULTS.positiveDecision);
  const [threshold, setThreshold] = useState("");
  const [text, setText] = useState({ purpose: "", intendedUse: "", outOfScope: "" });
  const [fairness, setFairness] = useState({
    enabled: true,
    bootstrap: DEFAULTS.bootstrap as number,
    seed: 0,
    minGroupSize: 0,
    minGroupShare: 0,
    tau: DEFAULTS.tau as number,
    reference: {} as Record<string, string>,
  });
  const [performance, setPerformance] = useState(true);
  const [importance, setImportance] = useState({ enabled: true, scoring: "roc_auc", repeats: 10 });
  const [shap, setShap] = useState({ enabled: true, rows: 200, background: 100, method: null as "kernel" | "tree" | null, link: "identity" as "identity" | "logit" });
  const [robustness, setRobustness] = useState({
    enabled: true,
    attack: null as "pgd" | "fgsm" | "random" | "boundary" | null,
    epsilons: "0.05, 0.1, 0.25, 0.5",
    rows: 2000,
    categorical: "frozen" as "frozen" | "free",
    queries: 300,
  });
  const [preset, setPreset] = useState<PolicyPreset>("four_fifths");
  const [custom, setCustom] = useState<PolicyRow[]>([{ metric: "impact_ratio", attribute: sensitive[0] ?? "", min: 0.8 }]);
  const [error, setError] = useState<ActionState["error"] | null>(null);
  const isModel = version.kind === "model";
  const trees = version.kind === "model" && version.trees;
  const gradients = version.kind === "model" && version.gradients;
  // what the model offers decides the defaults and the choices: TreeSHAP for trees, PGD with gradients
  const shapMethod: "kernel" | "tree" = trees ? (shap.method ?? "tree") : "kernel";
  const attack = robustness.attack && (gradients || robustness.attack === "random" || robustness.attack === "boundary") ? robustness.attack : gradients ? "pgd" : "boundary";

  const onDataset = (id: string) => {
    const d = props.datasets.find((x) => x.id === id)!;
    setDatasetId(id);
    setLabel(d.label || guessLabelColumn(d.binaryColumns.map((c) => c.name), d.sensitive));
    setPositive(d.positive || d.binaryColumns[0]?.values[0] || "");
    setSensitive(d.sensitive);
    setIntersections(d.sensitive);
  };
  const labelValues = dataset.binaryColumns.find((c) => c.name === label)?.values ?? [];
  const cross = crossed(sensitive, intersections);
  const attributes = [...sensitive, ...(cross.length >= 2 ? [cross.join(" & ")] : [])];
  const choosePreset = (p: PolicyPreset) => {
    setPreset(p);
    const share = presetMinGroupShare(p);
    if (share !== null) setFairness((f) => ({ ...f, minGroupShare: share }));
  };

  const values: AuditFormValues = {
    name: `${props.projectName} ${version.version} on ${dataset.name}`,
    ...text,
    dataset: { path: dataset.path, name: dataset.name, label, positive: positive || labelValues[0] || "" },
    version:
      version.kind === "model"
        ? { kind: "model", path: version.path, model: version.model, version: version.version }
        : { kind: "score", scoreColumn: version.scoreColumn, probability: version.probability, model: version.model, version: version.version },
    sensitive,
    intersections,
    positiveDecision,
    threshold: threshold.trim() === "" ? null : Number(threshold),
    analyses: {
      performance,
      fairness,
      permutationImportance: importance,
      shap: { ...shap, method: shapMethod },
      robustness: { ...robustness, attack, epsilons: robustness.epsilons.split(/[ ,]+/).filter(Boolean).map(Number) },
    },
    policy: { preset, custom },
  };
  const [name, setName] = useState<string | null>(null);
  const spec = useMemo(() => specFromForm({ ...values, name: name ?? values.name }), [values, name]);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    start(async () => {
      const res = await createAuditAction(props.projectSlug, spec, props.rerunOf ?? null);
      if (res.id) router.push(`/audits/${res.id}`);
      else setError(res.error ?? { message: "the audit could not be created" });
    });
  }
  function downloadYaml() {
    // in the bundle layout (dataset beside the YAML, model files in model/), so that it runs
    const parsed = ZAuditSpec.safeParse(spec);
    const text = parsed.success
      ? bundleSpecYaml(bundleSpec(parsed.data), [`Put ${bundleSpec(parsed.data).dataset.path} beside this file${parsed.data.model && "path" in parsed.data.model ? " and the model's files in model/" : ""}.`])
      : `# Assay audit spec (incomplete: ${parsed.error.issues[0]?.message ?? "invalid"})\n${stringify(spec)}`;
    const blob = new Blob([text], { type: "application/yaml" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${String(spec.name).toLowerCase().replace(/[^a-z0-9]+/g, "-")}.audit.yaml`;
    a.click();
    URL.revokeObjectURL(a.href);
  }
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v));

  return (
    <form className="form wide" onSubmit={submit} aria-describedby={error ? "audit-error" : undefined}>
      <label className="field">
        <span>Name</span>
        <input type="text" value={name ?? values.name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <div className="row">
        <label className="field">
          <span>Model version</span>
          <select value={versionId} onChange={(e) => setVersionId(e.target.value)}>
            {props.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Dataset</span>
          <select value={datasetId} onChange={(e) => onDataset(e.target.value)}>
            {props.datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.rows.toLocaleString("en-US")} rows)
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Label</span>
          <select value={label} onChange={(e) => setLabel(e.target.value)} required>
            {label === "" ? <option value="">choose the label…</option> : null}
            {dataset.binaryColumns.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Positive outcome</span>
          <select value={positive || labelValues[0] || ""} onChange={(e) => setPositive(e.target.value)}>
            {labelValues.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>
            Threshold <span className="hint">{version.kind === "score" && !version.probability ? "(blank: above the median)" : "(blank: 0.5)"}</span>
          </span>
          <input type="number" step="any" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </label>
      </div>
      <fieldset className="field">
        <legend>Sensitive attributes</legend>
        <div className="checks">
          {dataset.groupColumns
            .filter((c) => c !== label)
            .map((c) => (
              <label key={c}>
                <input type="checkbox" checked={sensitive.includes(c)} onChange={(e) => setSensitive(e.target.checked ? [...sensitive, c] : sensitive.filter((s) => s !== c))} /> {c}
              </label>
            ))}
        </div>
      </fieldset>
      {sensitive.length >= 2 ? (
        <fieldset className="field">
          <legend>
            Intersection <span className="hint">(attributes crossed into combined groups, e.g. race &amp; sex; fewer than two: none)</span>
          </legend>
          <div className="checks">
            {sensitive.map((c) => (
              <label key={c}>
                <input type="checkbox" checked={intersections.includes(c)} onChange={(e) => setIntersections(e.target.checked ? [...intersections, c] : intersections.filter((x) => x !== c))} /> {c}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <fieldset className="field">
        <legend>Is a positive prediction good or bad for the person?</legend>
        <div className="checks">
          <label>
            <input type="radio" name="positiveDecision" checked={positiveDecision === "benefit"} onChange={() => setPositiveDecision("benefit")} /> Good for them (e.g. hired, approved)
          </label>
          <label>
            <input type="radio" name="positiveDecision" checked={positiveDecision === "harm"} onChange={() => setPositiveDecision("harm")} /> Bad for them (e.g. flagged, high risk, denied)
          </label>
        </div>
        <p className="muted small">
          {positiveDecision === "harm"
            ? "The group most often flagged is the disadvantaged one; impact ratios compare the share not flagged; the false positive rate (wrongly flagged) is called out first."
            : "The group least often selected is the disadvantaged one; impact ratios compare selection rates; the false negative rate (wrongly denied) is called out first."}
        </p>
      </fieldset>

      <fieldset className="field">
        <legend>Analyses</legend>
        <div className="checks">
          <label>
            <input type="checkbox" checked={performance} onChange={(e) => setPerformance(e.target.checked)} /> Performance
          </label>
          <label>
            <input type="checkbox" checked={fairness.enabled} onChange={(e) => setFairness({ ...fairness, enabled: e.target.checked })} /> Fairness
          </label>
          <label title={isModel ? "" : "needs a model"}>
            <input type="checkbox" disabled={!isModel} checked={isModel && importance.enabled} onChange={(e) => setImportance({ ...importance, enabled: e.target.checked })} /> Permutation importance
          </label>
          <label title={isModel ? "" : "needs a model"}>
            <input type="checkbox" disabled={!isModel} checked={isModel && shap.enabled} onChange={(e) => setShap({ ...shap, enabled: e.target.checked })} /> SHAP
          </label>
          <label title={isModel ? "" : "needs a model"}>
            <input type="checkbox" disabled={!isModel} checked={isModel && robustness.enabled} onChange={(e) => setRobustness({ ...robustness, enabled: e.target.checked })} /> Robustness
          </label>
        </div>
        {!isModel ? <p className="muted small">Explanations and robustness need the model itself; a score column can only be audited for performance and fairness.</p> : null}
        <div className="row">
          {fairness.enabled ? (
            <>
              <label className="field">
                <span>Bootstrap resamples</span>
                <input type="number" min={0} max={100000} value={fairness.bootstrap} onChange={(e) => setFairness({ ...fairness, bootstrap: Number(e.target.value) })} />
              </label>
              <label className="field">
                <span>
                  Minimum group size <span className="hint">(rows; default 0)</span>
                </span>
                <input type="number" min={0} value={fairness.minGroupSize} onChange={(e) => setFairness({ ...fairness, minGroupSize: Number(e.target.value) })} />
              </label>
              <label className="field">
                <span>
                  Minimum group share <span className="hint">(% of rows; default 0, LL144: 2)</span>
                </span>
                <input
                  type="number"
                  min={0}
                  max={99}
                  step="any"
                  value={Number((fairness.minGroupShare * 100).toFixed(4))}
                  onChange={(e) => setFairness({ ...fairness, minGroupShare: Number(e.target.value) / 100 })}
                />
              </label>
              <label className="field">
                <span>
                  τ <span className="hint">(disparities pass within [τ, 1/τ]; default {DEFAULTS.tau})</span>
                </span>
                <input type="number" min={0.01} max={1} step="0.01" value={fairness.tau} onChange={(e) => setFairness({ ...fairness, tau: Number(e.target.value) })} />
              </label>
              {sensitive.map((a) => (
                <label className="field" key={a}>
                  <span>
                    Reference group of {a} <span className="hint">(default: the largest)</span>
                  </span>
                  <select value={fairness.reference[a] ?? ""} onChange={(e) => setFairness({ ...fairness, reference: { ...fairness.reference, [a]: e.target.value } })}>
                    <option value="">largest group</option>
                    {(dataset.groupValues[a] ?? []).map((g) => (
                      <option key={g} value={g}>
                        {g}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </>
          ) : null}
          {isModel && importance.enabled ? (
            <label className="field">
              <span>Importance scoring</span>
              <select value={importance.scoring} onChange={(e) => setImportance({ ...importance, scoring: e.target.value })}>
                {["roc_auc", "accuracy", "balanced_accuracy", "f1", "log_loss", "brier"].map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          ) : null}
          {isModel && shap.enabled ? (
            <>
              <label className="field">
                <span>Rows to explain</span>
                <input type="number" min={1} value={shap.rows} onChange={(e) => setShap({ ...shap, rows: Number(e.target.value) })} />
              </label>
              {trees ? (
                <label className="field">
                  <span>SHAP method</span>
                  <select value={shapMethod} onChange={(e) => setShap({ ...shap, method: e.target.value as "kernel" | "tree" })}>
                    <option value="tree">TreeSHAP (exact, log-odds)</option>
                    <option value="kernel">KernelSHAP (probability)</option>
                  </select>
                </label>
              ) : null}
              {shapMethod === "kernel" ? (
                <label className="field">
                  <span>SHAP link</span>
                  <select value={shap.link} onChange={(e) => setShap({ ...shap, link: e.target.value as "identity" | "logit" })}>
                    <option value="identity">identity (probability)</option>
                    <option value="logit">logit (log-odds)</option>
                  </select>
                </label>
              ) : null}
            </>
          ) : null}
          {isModel && robustness.enabled ? (
            <>
              <label className="field">
                <span>Attack</span>
                <select value={attack} onChange={(e) => setRobustness({ ...robustness, attack: e.target.value as "pgd" })}>
                  {gradients ? (
                    <>
                      <option value="pgd">PGD (gradient, 20 steps)</option>
                      <option value="fgsm">FGSM (one step)</option>
                    </>
                  ) : null}
                  <option value="boundary">Boundary attack (decisions only)</option>
                  <option value="random">Random search (decisions only)</option>
                </select>
              </label>
              {attack === "boundary" || attack === "random" ? (
                <label className="field">
                  <span>Queries per row</span>
                  <input type="number" min={10} value={robustness.queries} onChange={(e) => setRobustness({ ...robustness, queries: Number(e.target.value) })} />
                </label>
              ) : null}
              <label className="field">
                <span>ε grid (standard deviations)</span>
                <input type="text" value={robustness.epsilons} onChange={(e) => setRobustness({ ...robustness, epsilons: e.target.value })} />
              </label>
              <label className="field">
                <span>Categories</span>
                <select value={robustness.categorical} onChange={(e) => setRobustness({ ...robustness, categorical: e.target.value as "frozen" | "free" })}>
                  <option value="frozen">frozen</option>
                  <option value="free">may change</option>
                </select>
              </label>
            </>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="field">
        <legend>Policy</legend>
        <div className="checks">
          {(
            [
              ["four_fifths", "Four-fifths rule (impact ratio ≥ 0.8 per attribute)"],
              ["ll144", "NYC LL144 (impact ratios per category and intersection)"],
              ["custom", "Custom checks"],
              ["none", "No checks"],
            ] as const
          ).map(([k, l]) => (
            <label key={k}>
              <input type="radio" name="preset" checked={preset === k} onChange={() => choosePreset(k)} /> {l}
            </label>
          ))}
        </div>
        {preset !== "custom" ? (
          <ul className="small muted">
            {presetChecks(preset, sensitive, intersections).map((c, i) => (
              <li key={i}>
                {c.metric} ({c.attribute}) ≥ {c.min}
              </li>
            ))}
          </ul>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Attribute</th>
                <th>ε</th>
                <th>Min</th>
                <th>Max</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {custom.map((row, i) => {
                const set = (patch: Partial<PolicyRow>) => setCustom(custom.map((r, k) => (k === i ? { ...r, ...patch } : r)));
                return (
                  <tr key={i}>
                    <td>
                      <select aria-label="Metric" value={row.metric} onChange={(e) => set({ metric: e.target.value })}>
                        {METRICS.map((m) => (
                          <option key={m}>{m}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select aria-label="Attribute" value={row.attribute ?? ""} onChange={(e) => set({ attribute: e.target.value || undefined })}>
                        <option value="">(overall)</option>
                        {attributes.map((a) => (
                          <option key={a}>{a}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input aria-label="Epsilon" type="number" step="any" value={row.epsilon ?? ""} onChange={(e) => set({ epsilon: num(e.target.value) })} />
                    </td>
                    <td>
                      <input aria-label="Minimum" type="number" step="any" value={row.min ?? ""} onChange={(e) => set({ min: num(e.target.value) })} />
                    </td>
                    <td>
                      <input aria-label="Maximum" type="number" step="any" value={row.max ?? ""} onChange={(e) => set({ max: num(e.target.value) })} />
                    </td>
                    <td>
                      <button type="button" className="btn btn-link" onClick={() => setCustom(custom.filter((_, k) => k !== i))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {preset === "custom" ? (
          <div>
            <button type="button" className="btn" onClick={() => setCustom([...custom, { metric: "impact_ratio", attribute: sensitive[0], min: 0.8 }])}>
              Add check
            </button>
          </div>
        ) : null}
      </fieldset>

      <details>
        <summary>Scope and intended use (printed in the report)</summary>
        <div className="form">
          {(
            [
              ["purpose", "Purpose"],
              ["intendedUse", "Intended use"],
              ["outOfScope", "Out of scope"],
            ] as const
          ).map(([k, l]) => (
            <label className="field" key={k}>
              <span>{l}</span>
              <textarea value={text[k]} onChange={(e) => setText({ ...text, [k]: e.target.value })} />
            </label>
          ))}
        </div>
      </details>

      {error ? (
        <p id="audit-error" className="field-error" role="alert">
          {error.field ? `${error.field}: ` : ""}
          {error.message}
        </p>
      ) : null}
      <div className="actions">
        <button className="btn btn-primary" type="submit" disabled={pending || sensitive.length === 0}>
          {pending ? "Starting…" : "Start audit"}
        </button>
        <button className="btn" type="button" onClick={downloadYaml}>
          Download as YAML
        </button>
      </div>
    </form>
  );
}
