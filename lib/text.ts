// Small text helpers shared by the CLI, services and pages.

/** URL- and file-safe lowercase slug ("CPS wages v1" → "cps-wages-v1"). */
export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "audit"
  );
}
