"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { upload, type UploadResult } from "../../../../_components/upload";
import { UploadProgress } from "../../../../_components/upload-progress";

interface Props {
  projectSlug: string;
  projectName: string;
  nextVersion: string;
  datasets: Array<{ id: string; name: string; numeric: Array<{ name: string; min: number | null; max: number | null }> }>;
}

export function ModelUploadForm({ projectSlug, projectName, nextVersion, datasets }: Props) {
  const router = useRouter();
  const [kind, setKind] = useState<"tfjs" | "score">("tfjs");
  const [datasetId, setDatasetId] = useState(datasets[0]!.id);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<NonNullable<UploadResult["body"]["error"]> | null>(null);
  const numeric = datasets.find((d) => d.id === datasetId)?.numeric ?? [];

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (kind === "tfjs" && form.getAll("files").filter((f) => f instanceof File && f.size > 0).length === 0) {
      return setError({ code: "INVALID_INPUT", message: "choose the model files or a zip", field: "files" });
    }
    if (kind === "score") form.delete("files");
    else {
      form.delete("scoreColumn");
      form.delete("probability");
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
  const unplaced = error && !["files", "version", "datasetId", "scoreColumn", "probability"].includes(error.field ?? "") ? error : null;
  return (
    <form className="form" onSubmit={onSubmit}>
      <fieldset className="field">
        <legend>Kind</legend>
        <div className="checks">
          <label>
            <input type="radio" name="kind" checked={kind === "tfjs"} onChange={() => setKind("tfjs")} /> TensorFlow.js model files
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
          <select name="datasetId" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          {err("datasetId")}
        </label>
      </div>
      {kind === "tfjs" ? (
        <label className="field">
          <span>
            Files <span className="hint">(model.json + weights + assay.model.json, or one .zip)</span>
          </span>
          <input type="file" name="files" multiple accept=".json,.bin,.zip" aria-invalid={error?.field === "files"} />
          {err("files")}
        </label>
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
        <button className="btn btn-primary" type="submit" disabled={progress !== null}>
          {kind === "tfjs" ? "Upload and check" : "Add version"}
        </button>
      </div>
    </form>
  );
}
