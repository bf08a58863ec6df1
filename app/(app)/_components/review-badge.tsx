import { REVIEW_STATE_LABELS, isReviewState } from "@/lib/review";

const TONE: Record<string, string> = { approved: "pass", rejected: "fail", changes_requested: "warn", in_review: "info", draft: "" };

/** An audit's review state as a badge ("Approved", "In review", …); nothing for unfinished audits. */
export function ReviewBadge({ state, status }: { state: string; status?: string }) {
  if (status !== undefined && status !== "succeeded") return null;
  const s = isReviewState(state) ? state : "draft";
  return (
    <span className={`badge ${TONE[s]}`.trim()} title="Review state">
      {REVIEW_STATE_LABELS[s]}
    </span>
  );
}
