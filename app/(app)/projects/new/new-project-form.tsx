"use client";

import { useActionState } from "react";
import { createProjectAction, type ActionState } from "../actions";
import { FieldError } from "../../_components/field-error";

export function NewProjectForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createProjectAction, {});
  return (
    <form className="form" action={action}>
      <label className="field">
        <span>Name</span>
        <input type="text" name="name" required maxLength={120} aria-invalid={state.error?.field === "name"} />
        <FieldError state={state} field="name" />
      </label>
      <label className="field">
        <span>
          Description <span className="hint">(optional: what the model decides, for whom)</span>
        </span>
        <textarea name="description" maxLength={2000} />
      </label>
      <FieldError state={state} placed={["name"]} />
      <div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create project"}
        </button>
      </div>
    </form>
  );
}
