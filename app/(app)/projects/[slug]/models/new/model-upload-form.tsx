"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { upload, type UploadResult } from "../../../../_components/upload";
import { UploadProgress } from "../../../../_components/upload-progress";
import type { ModelUploadDescription } from "@/lib/services/models";

interface Props {
  projectSlug: string;
  projectName: string;
  nextVersion: string;
  datasets: Array<{ id: string; name: string; numeric: Array<{ name: string; min: number | null; max: number | null }> }>;
}

type ApiError = NonNullable<UploadResult["body"]["error"]>;

type Description = ModelUploadDescription;

const FORMAT_LABEL: Record<string, string> = { "tfjs-layers": "TensorFlow.js", onnx: "ONNX", "xgboost-json": "XGBoost JSON" };

export function ModelUploadForm({ projectSlug, projectName, nextVersion, datasets }: Props) {
  const router = useRouter();
  const [kind, setKind] = useState<"files" | "score">("files");
  const [datasetId, setDatasetId] = useState(datasets[0]!.id);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [described, setDescribed] = useState<Description | null>(null);
  const [describing, setDescribing] = useState(false);
  const [manifest, setManifest] = useState("");
  const filesRef = useRef<HTMLInputElement>(null);
  const numeric = datasets.find((d) => d.id === datasetId)?.numeric ?? [];

  /** Asks the server what the chosen files are and which manifest to review. */
  async function describe(dataset = datasetId) {
    const chosen = Array.from(filesRef.current?.files ?? []);
    setDescribed(null);
    if (chosen.length === 0) return;
    const form = new FormData();
    form.set("datasetId", dataset);
    for (const f of chosen) form.append("files", f);
    setDescribing(true);
    setError(null);
    const res = await upload("POST", `/api/projects/${projectSlug}/models/describe`, form, () => {});
    setDescribing(false);
    if (res.ok) {
      const d = res.body as unknown as Description;
      setDescribed(d);
      setManifest(d.manifest);
    } else setError(res.body.error ?? { code: "INTERNAL", message: `the server answered ${res.status}` });
  }

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (kind === "files" && form.getAll("files").filter((f) => f instanceof File && f.size > 0).length === 0) {
      return setError({ code: "INVALID_INPUT", message: "choose the model files or a zip", field: "files" });
    }
    if (kind === "score") {
      form.delete("files");
      form.delete("manifest");
    } else {
      form.delete("scoreColumn");
      form.delete("probability");
      if (described) {
        try {
          JSON.parse(manifest);
        } catch (err) {
          return setError({ code: "INVALID_INPUT", message: `the manifest is not valid JSON: ${(err as Error).message}`, field: "manifest" });
        }
        form.set("manifest", manifest);
      } else form.delete("manifest");
    }
    if (form.get("probability") === "on") form.set("probability", "true");
    setError(null);
    setProgress(0);
    const res = await upload("POST", `/api/projects/${projectSlug}/models`, form, setProgress);
    if (res.ok) {
      router.push(`/projects/${projectSlug}`);
      router.refresh();
    } else {
      setProgress(null);
      setError(res.body.error ?? { code: "INTERNAL", message: `upload failed (${res.status})` });
    }
  }
  const err = (field: string) =>
    error && error.field === field ? (
      <p className="field-error" role="alert">
        {[error.file, error.line ? `line ${error.line}` : "", error.column ? `column "${error.column}"` : ""].filter(Boolean).join(", ")}
        {error.file || error.line ? ": " : ""}
        {error.message}
      </p>
    ) : null;
  // errors about the manifest's content (assay.model.json) show under the manifest editor
  const manifestError = error && (error.field === "manifest" || (error.file ?? "").endsWith("assay.model.json")) ? error : null;
  const unplaced = error && !manifestError && !["files", "version", "datasetId", "scoreColumn", "probability"].includes(error.field ?? "") ? error : null;
  return (
    <form className="form" onSubmit={onSubmit}>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="checks">
          <label>
            <input type="radio" name="kind" checked={kind === "files"} onChange={() => setKind("files")} /> Model files (ONNX, XGBoost JSON or TensorFlow.js)
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === "score"} onChange={() => setKind("score")} /> Score column (vendor model)
          </label>
        </div>
      </fieldset>
      <div className="row">
        <label className="field">
          <span>Model</span>
          <input type="text" name="model" defaultValue={projectName} maxLength={120} />
        </label>
        <label className="field">
          <span>Version</span>
          <input type="text" name="version" defaultValue={nextVersion} required maxLength={60} aria-invalid={error?.field === "version"} />
          {err("version")}
        </label>
        <label className="field">
          <span>Check on dataset</span>
          <select
            name="datasetId"
            value={datasetId}
            onChange={(e) => {
              setDatasetId(e.target.value);
              if (kind === "files" && described?.proposed) void describe(e.target.value);
            }}
          >
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          {err("datasetId")}
        </label>
      </div>
      {kind === "files" ? (
        <>
          <label className="field">
            <span>
              Files <span className="hint">(an .onnx file, an XGBoost .json model, or model.json + weights; assay.model.json optional; or one .zip)</span>
            </span>
            <input ref={filesRef} type="file" name="files" multiple accept=".onnx,.json,.bin,.zip" aria-invalid={error?.field === "files"} onChange={() => void describe()} />
            {err("files")}
          </label>
          {describing ? <p className="muted">Reading the model…</p> : null}
          {described ? (
            <section className="panel model-described" aria-label="Model and manifest">
              <h2>
                {FORMAT_LABEL[described.format] ?? described.format} model <code>{described.file}</code>
              </h2>
              <ul className="plain small">
                {described.summary.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
              <label className="field">
                <span>
                  Manifest <code>assay.model.json</code>{" "}
                  <span className="hint">{described.proposed ? "(proposed from the dataset: check it, then edit what differs from training)" : "(from the upload)"}</span>
                </span>
                <textarea name="manifest" className="code" rows={16} spellCheck={false} value={manifest} onChange={(e) => setManifest(e.target.value)} aria-invalid={!!manifestError} />
              </label>
              {manifestError ? (
                <p className="field-error" role="alert">
                  {manifestError.message}
                </p>
              ) : null}
              {described.notes.length ? (
                <ul className="notes small">
                  {described.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              ) : null}
            </section>
          ) : null}
        </>
      ) : (
        <div className="row">
          <label className="field">
            <span>Score column</span>
            <select name="scoreColumn" aria-invalid={error?.field === "scoreColumn"}>
              {numeric.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.min} – {c.max})
                </option>
              ))}
            </select>
            {err("scoreColumn")}
          </label>
          <label className="field">
            <span>Scale</span>
            <label className="checks">
              <input type="checkbox" name="probability" /> the score is a probability in [0, 1]
            </label>
            {err("probability")}
          </label>
        </div>
      )}
      {unplaced ? (
        <p className="field-error" role="alert">
          {unplaced.message}
        </p>
      ) : null}
      {progress !== null ? <UploadProgress progress={progress} checking="Loading the model and scoring the first rows…" /> : null}
      <div>
        <button className="btn btn-primary" type="submit" disabled={progress !== null || describing}>
          {kind === "files" ? "Upload and check" : "Add version"}
        </button>
      </div>
    </form>
  );
}
