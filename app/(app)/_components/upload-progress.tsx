/** The bar under an upload: % sent, then what the server is doing with the file. */
export function UploadProgress({ progress, checking }: { progress: number; checking: string }) {
  const pct = Math.round(progress * 100);
  return (
    <div aria-live="polite">
      <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Upload progress">
        <div style={{ width: `${pct}%` }} />
      </div>
      <p className="muted small">{progress < 1 ? `Uploading… ${pct}%` : checking}</p>
    </div>
  );
}
