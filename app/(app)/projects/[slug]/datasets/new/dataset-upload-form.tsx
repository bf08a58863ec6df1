"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { upload, type UploadResult } from "../../../../_components/upload";
import { UploadProgress } from "../../../../_components/upload-progress";

export function DatasetUploadForm({ projectSlug }: { projectSlug: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<NonNullable<UploadResult["body"]["error"]> | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const file = (new FormData(e.currentTarget).get("file") as File | null) ?? null;
    if (!file || file.size === 0) return setError({ code: "INVALID_INPUT", message: "choose a non-empty CSV file", field: "file" });
    setError(null);
    setProgress(0);
    const res = await upload("PUT", `/api/projects/${projectSlug}/datasets?name=${encodeURIComponent(file.name)}`, file, setProgress);
    if (res.ok && res.body.url) router.push(res.body.url);
    else {
      setProgress(null);
      setError(res.body.error ?? { code: "INTERNAL", message: `upload failed (${res.status})` });
    }
  }
  const where = error ? [error.file, error.line ? `line ${error.line}` : "", error.column ? `column "${error.column}"` : ""].filter(Boolean).join(", ") : "";
  return (
    <form className="form" onSubmit={onSubmit}>
      <label className="field">
        <span>CSV file</span>
        <input type="file" name="file" accept=".csv,text/csv" required aria-invalid={Boolean(error)} aria-describedby={error ? "upload-error" : undefined} />
      </label>
      {error ? (
        <p id="upload-error" className="field-error" role="alert">
          {where ? `${where}: ` : ""}
          {error.message}
        </p>
      ) : null}
      {progress !== null ? <UploadProgress progress={progress} checking="Checking the file…" /> : null}
      <div>
        <button className="btn btn-primary" type="submit" disabled={progress !== null}>
          Upload and check
        </button>
      </div>
    </form>
  );
}
