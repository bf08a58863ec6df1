interface ErrorState {
  error?: { message: string; field?: string; line?: number; column?: string };
}

/**
 * The error of a form action, shown next to its field: with `field`, only errors of that field
 * (or its sub-fields); without, the errors no listed field (`placed`) shows.
 */
export function FieldError({ state, field, placed = [] }: { state: ErrorState; field?: string; placed?: string[] }) {
  const e = state.error;
  if (!e) return null;
  const matches = (f: string) => e.field === f || (e.field ?? "").startsWith(`${f}.`);
  if (field !== undefined ? !matches(field) : placed.some(matches)) return null;
  const where = [e.line ? `line ${e.line}` : "", e.column ? `column "${e.column}"` : ""].filter(Boolean).join(", ");
  return (
    <p className="field-error" role="alert">
      {where ? `${where}: ` : ""}
      {e.message}
    </p>
  );
}
