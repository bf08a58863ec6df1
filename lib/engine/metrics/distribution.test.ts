import { createRng } from "../random";
import type { Column } from "../data/table";
import { groupByColumn } from "./groups";
import { scoreDistribution, scoreEdges } from "./distribution";

function column(values: string[]): Column {
  const categories = [...new Set(values)];
  return {
    name: "g",
    index: 0,
    type: "categorical",
    missing: 0,
    codes: Int32Array.from(values, (v) => categories.indexOf(v)),
    categories,
    categoryFirstRow: new Int32Array(categories.length),
    categoryNumbers: new Float64Array(categories.length).fill(NaN),
    numbers: null,
  };
}

describe("scoreDistribution", () => {
  it("recovers, at every edge, the selection and true positive counts of s ≥ t by direct counting", () => {
    const r = createRng(1);
    for (const kind of ["decile", "probability"] as const) {
      const n = 3000;
      const scores = Float64Array.from({ length: n }, () => (kind === "decile" ? 1 + r.int(10) : r.next()));
      const y = Uint8Array.from({ length: n }, () => (r.next() < 0.4 ? 1 : 0));
      const groups = Array.from({ length: n }, () => (r.next() < 0.3 ? "a" : "b"));
      const threshold = kind === "decile" ? 5 : 0.37;
      const dist = scoreDistribution(scores, y, null, threshold, [groupByColumn(column(groups))]);
      expect(dist.exact).toBe(kind === "decile");
      expect(dist.edges).toContain(threshold);
      for (let k = 0; k < dist.edges.length; k += kind === "decile" ? 1 : 7) {
        const t = dist.edges[k]!;
        for (const g of dist.attributes[0]!.groups) {
          const selected = g.pos.slice(k).reduce((a, b) => a + b, 0) + g.neg.slice(k).reduce((a, b) => a + b, 0);
          const tp = g.pos.slice(k).reduce((a, b) => a + b, 0);
          let sel = 0;
          let tpDirect = 0;
          for (let i = 0; i < n; i++) {
            if (groups[i] !== g.group || scores[i]! < t) continue;
            sel++;
            if (y[i]) tpDirect++;
          }
          expect(selected).toBe(sel);
          expect(tp).toBe(tpDirect);
        }
      }
    }
  });

  it("uses every distinct value as an edge when there are few, 100 bins otherwise", () => {
    expect(scoreEdges(Float64Array.of(3, 1, 2, 2), 2)).toEqual({ edges: [1, 2, 3], exact: true });
    const many = Float64Array.from({ length: 500 }, (_, i) => i / 500);
    const e = scoreEdges(many, 0.5);
    expect(e.exact).toBe(false);
    expect(e.edges).toHaveLength(100);
    expect(e.edges[50]).toBe(0.5);
  });
});
