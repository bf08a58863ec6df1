/** An audit's state as a badge: queued / running / cancelled / failed to run, or its policy verdict. */
export function StatusBadge({ status, passed }: { status: string; passed: boolean | null }) {
  if (status === "succeeded") return passed ? <span className="badge pass">policy passed</span> : <span className="badge fail">policy failed</span>;
  if (status === "failed") return <span className="badge fail">error</span>;
  if (status === "running") return <span className="badge info">running</span>;
  if (status === "queued") return <span className="badge info">queued</span>;
  return <span className="badge">{status}</span>;
}
