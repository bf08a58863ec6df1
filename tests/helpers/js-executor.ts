// A ModelExecutor around a plain JavaScript function of the encoded input: lets tests check the
// SHAP and importance algorithms against closed forms with exactly known models. Its coalition
// values are computed by straightforward loops (independent of the tensor implementation).

import type { CoalitionJob, ModelExecutor } from "../../lib/engine/executor";

export type JsModel = (x: Float32Array | Float64Array, offset: number) => number;

export function jsExecutor(f: JsModel, width: number): ModelExecutor & { calls: number } {
  const ex = {
    backend: "js",
    threads: 1,
    calls: 0,
    async predict(x: Float32Array, rows: number) {
      ex.calls++;
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = f(x, i * width);
      return out;
    },
    async coalitionValues(job: CoalitionJob, onRows?: (done: number) => void) {
      ex.calls++;
      const { width: d, rows, coalitions: nz, backgroundRows: nb } = job;
      const out = new Float64Array(rows * nz);
      const buf = new Float64Array(d);
      for (let e = 0; e < rows; e++) {
        for (let z = 0; z < nz; z++) {
          let v = 0;
          for (let b = 0; b < nb; b++) {
            for (let t = 0; t < d; t++) buf[t] = job.masks[z * d + t] ? job.x[e * d + t]! : job.background[b * d + t]!;
            v += job.backgroundWeights[b]! * f(buf, 0);
          }
          out[e * nz + z] = v;
        }
        onRows?.(e + 1);
      }
      return out;
    },
    async treeShap(): Promise<never> {
      throw new Error("the JS test executor has no trees");
    },
    async attack(): Promise<never> {
      throw new Error("the JS test executor has no gradients");
    },
    async rawGradientThroughput() {
      return 0;
    },
    async rawThroughput() {
      return 0;
    },
    async dispose() {},
  };
  return ex;
}
