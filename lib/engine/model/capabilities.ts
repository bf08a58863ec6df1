// Which analyses a loaded model supports, checked against the spec before anything long runs:
// PGD and FGSM need gradients; TreeSHAP needs a tree ensemble. A spec that asks for more than the
// model offers is invalid input (CLI exit code 2, API 422) with a message that says what works.

import { invalidInput } from "../../errors";
import type { TAuditSpec } from "../../spec/schema";
import { MODEL_KIND_LABEL } from "../../report/types";
import { GRADIENT_ATTACKS, QUERY_ATTACKS, type AuditModel } from "./model";
import { describeEnsemble } from "../trees/ensemble";

/** Throws INVALID_INPUT (naming the spec field) when an analysis cannot run on this model. */
export function assertAnalysesFit(spec: TAuditSpec, m: AuditModel): void {
  const what = `this ${MODEL_KIND_LABEL[m.format]} model`;
  const r = spec.analyses.robustness;
  if (r && (GRADIENT_ATTACKS as readonly string[]).includes(r.attack) && !m.graph) {
    const reason = m.gradients.kind === "none" ? m.gradients.reason : "";
    throw invalidInput(
      `attack "${r.attack}" needs the model's gradients, and ${what} has none${reason ? ` (${reason})` : ""}; attacks that work on it: ${QUERY_ATTACKS.join(", ")}`,
      { field: "analyses.robustness.attack" },
    );
  }
  const shap = spec.analyses.shap;
  if (shap?.method === "tree" && !m.trees) {
    throw invalidInput(`method: tree needs a tree ensemble, and ${what} is not one; use method: kernel (or auto, which picks TreeSHAP for tree ensembles)`, {
      field: "analyses.shap.method",
    });
  }
}

/** The SHAP method an audit runs: auto → tree for tree ensembles, kernel otherwise. */
export function shapMethodFor(method: "auto" | "kernel" | "tree", m: AuditModel): "kernel" | "tree" {
  return method === "auto" ? (m.trees ? "tree" : "kernel") : method;
}

/** What a loaded model offers, stored with its version so forms and pages can say it. */
export interface ModelCapabilities {
  format: AuditModel["format"];
  output: string;
  trees: { count: number; maxDepth: number; leaves: number; units: "log-odds" | "probability"; source: string } | null;
  /** How gradients are obtained, or null when there are none. */
  gradients: string | null;
  /** Why there are no gradients. */
  noGradients?: string;
}

export function capabilitiesOf(m: AuditModel): ModelCapabilities {
  return {
    format: m.format,
    output: m.outputDescription,
    trees: m.trees ? { ...describeEnsemble(m.trees), units: m.trees.units, source: m.trees.source } : null,
    gradients: m.gradients.kind === "none" ? null : m.gradients.description,
    ...(m.gradients.kind === "none" ? { noGradients: m.gradients.reason } : {}),
  };
}
