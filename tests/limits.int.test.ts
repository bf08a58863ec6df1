// Resource limits from the CLI: an audit whose estimated model evaluations exceed
// ASSAY_MAX_AUDIT_EVALUATIONS is refused before it runs (exit 2, saying the estimate and the limit).

import path from "node:path";
import { runCli } from "./helpers/cli";
import { ROOT } from "./helpers/shared";

describe("assay audit refuses an audit over the evaluation budget", () => {
  it("exits 2 naming the estimate, its largest part and the variable", () => {
    const r = runCli(["audit", path.join(ROOT, "audits/examples/cps-wages/v1.audit.yaml"), "--quiet", "--out", path.join(ROOT, "out", "limits-test")], { ASSAY_MAX_AUDIT_EVALUATIONS: "100000" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/this audit needs about [0-9.]+e\+\d+ model evaluations \(mostly KernelSHAP: 200 rows × [0-9,]+ \(all\) coalitions × 50 background rows\), more than the limit of 1\.00e\+5 \(ASSAY_MAX_AUDIT_EVALUATIONS\)/);
  });
});
