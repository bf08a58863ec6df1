"use client";

import { startTransition, useActionState, useState } from "react";
import { guessLabelColumn } from "@/lib/spec/label";
import { configureDatasetAction, type ActionState } from "../../../actions";
import { FieldError } from "../../../../_components/field-error";

interface Props {
  datasetId: string;
  projectSlug: string;
  columns: Array<{ name: string; type: string; distinct: number }>;
  valueCounts: Record<string, Array<{ value: string; count: number }>>;
  initial: { label: string; positive: string; sensitive: string[]; ignored: string[] };
}

export function ConfigureDatasetForm({ datasetId, projectSlug, columns, valueCounts, initial }: Props) {
  const [state, action, pending] = useActionState<ActionState, FormData>(configureDatasetAction.bind(null, datasetId, projectSlug), {});
  const binary = columns.filter((c) => (valueCounts[c.name] ?? []).filter((v) => v.value !== "(missing)").length === 2);
  // the saved label, else a column named like a target (never a sensitive attribute), else none
  const [label, setLabel] = useState(initial.label || guessLabelColumn(binary.map((c) => c.name), initial.sensitive));
  const values = (valueCounts[label] ?? []).filter((v) => v.value !== "(missing)");
  const candidates = columns.filter((c) => valueCounts[c.name] && c.name !== label);
  // submitted by hand, not through `action=`: React resets a form after an action, which would
  // show the first option in the selects while the saved choice is another
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => action(data));
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <div className="row">
        <label className="field">
          <span>Label (the outcome)</span>
          <select name="label" value={label} onChange={(e) => setLabel(e.target.value)} aria-invalid={state.error?.field === "label"}>
            {binary.length === 0 ? <option value="">no column with exactly two values</option> : label === "" ? <option value="">choose the label…</option> : null}
            {binary.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <FieldError state={state} field="label" />
        </label>
        <label className="field">
          <span>Positive value (the favourable or predicted outcome)</span>
          <select name="positive" defaultValue={initial.positive} key={label} aria-invalid={state.error?.field === "positive"}>
            {values.map((v) => (
              <option key={v.value} value={v.value}>
                {v.value} ({v.count})
              </option>
            ))}
          </select>
          <FieldError state={state} field="positive" />
        </label>
      </div>
      <fieldset className="field">
        <legend>Sensitive attributes</legend>
        <div className="checks">
          {candidates.map((c) => (
            <label key={c.name}>
              <input type="checkbox" name="sensitive" value={c.name} defaultChecked={initial.sensitive.includes(c.name)} /> {c.name}
            </label>
          ))}
        </div>
        <FieldError state={state} field="sensitive" />
      </fieldset>
      <fieldset className="field">
        <legend>
          Columns to ignore <span className="hint">(identifiers, free text)</span>
        </legend>
        <div className="checks">
          {columns.map((c) => (
            <label key={c.name}>
              <input type="checkbox" name="ignored" value={c.name} defaultChecked={initial.ignored.includes(c.name)} /> {c.name}
            </label>
          ))}
        </div>
      </fieldset>
      <FieldError state={state} placed={["label", "positive", "sensitive"]} />
      {state.ok ? <p className="notice ok">Saved. New audits on this dataset start from these choices.</p> : null}
      <div>
        <button className="btn btn-primary" type="submit" disabled={pending || binary.length === 0}>
          {pending ? "Saving…" : "Save defaults"}
        </button>
      </div>
    </form>
  );
}
