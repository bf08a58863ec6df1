import { invalidInput } from "../errors";
import { publicError, scrubPaths } from "./public-error";

describe("publicError: what a failed audit shows", () => {
  it("replaces an unexpected exception by a sentence with a reference, and keeps the stack for the log", () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'shape') at /srv/assay/lib/engine/x.ts:12");
    const p = publicError(e);
    expect(p.message).toMatch(/^internal error \(reference [0-9a-f]{8}\): the audit could not finish\./);
    expect(p.message).not.toContain("/srv");
    expect(p.message).not.toContain("shape");
    const ref = /reference ([0-9a-f]{8})/.exec(p.message)![1]!;
    expect(p.log).toContain(`[${ref}] TypeError: Cannot read properties`);
    expect(p.log).toContain("at "); // the stack
  });

  it("keeps an AppError's message for people but cuts server paths to file names", () => {
    const p = publicError(invalidInput("could not read /var/lib/assay/data/models/ckx1/v1/model.json: weights missing", { file: "/var/lib/assay/data/datasets/ckx2/adult.csv", line: 3 }));
    expect(p.message).toBe("adult.csv, line 3: could not read model.json: weights missing");
    expect(p.log).toBeNull();
  });

  it("scrubs Windows paths and leaves ordinary text alone", () => {
    expect(scrubPaths("C:\\Users\\ops\\assay\\data\\m.onnx failed")).toBe("m.onnx failed");
    expect(scrubPaths("score ≥ 0.5 and/or a ratio 1/2")).toBe("score ≥ 0.5 and/or a ratio 1/2");
  });
});
