import { AppError } from "../../errors";
import { ensembleMargins } from "./ensemble";
import { parseBaseScore, parseXgboostJson } from "./xgboost-json";

/** A one-stump model: x0 < 0.5 → leaf −0.4, else +0.6 (default_left: missing goes left). */
function model(over: { base?: string; objective?: string; booster?: string; splitType?: number; version?: number[]; weightDrop?: number[]; defaultLeft?: Array<number | boolean> } = {}) {
  const tree = {
    left_children: [1, -1, -1],
    right_children: [2, -1, -1],
    split_indices: [0, 0, 0],
    split_conditions: [0.5, -0.4, 0.6],
    default_left: over.defaultLeft ?? [1, 0, 0],
    split_type: [over.splitType ?? 0, 0, 0],
  };
  const trees = { trees: [tree], tree_info: [0] };
  const booster = over.booster ?? "gbtree";
  return JSON.stringify({
    learner: {
      learner_model_param: { base_score: over.base ?? "5E-1", num_feature: "1", num_class: "0" },
      objective: { name: over.objective ?? "binary:logistic" },
      gradient_booster: booster === "dart" ? { name: "dart", gbtree: { model: trees }, weight_drop: over.weightDrop ?? [1] } : { name: booster, model: trees },
    },
    version: over.version ?? [1, 7, 4],
  });
}

function error(text: string): AppError {
  try {
    parseXgboostJson(text, "m/model.json");
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected an error");
}

describe("XGBoost JSON", () => {
  it("reads base_score as a probability in every version's notation (1.7 plain, 3.1 bracketed)", () => {
    expect(parseBaseScore("5E-1")).toBe(0.5);
    expect(parseBaseScore("[3E-1]")).toBeCloseTo(0.3, 15);
    expect(parseBaseScore("[2.5E-1,1E-1]")).toBe(0.25);
    expect(parseBaseScore(0.7)).toBe(0.7);
    for (const base of ["3E-1", "[3E-1]"]) {
      const e = parseXgboostJson(model({ base }), "m").ensemble;
      expect(e.base).toBeCloseTo(Math.log(0.3 / 0.7), 12); // margin = logit(base_score)
      // left when x < 0.5 (strictly), missing takes default_left
      const leaves = Array.from(ensembleMargins(e, Float32Array.of(0.49, 0.5, NaN), 3, 1), (m) => m - e.base);
      [-0.4, 0.6, -0.4].forEach((v, i) => expect(leaves[i]).toBeCloseTo(v, 6));
    }
  });
  it("accepts default_left as booleans (newer writers) and scales dart trees by weight_drop", () => {
    const e = parseXgboostJson(model({ defaultLeft: [false, false, false] }), "m").ensemble;
    expect(ensembleMargins(e, Float32Array.of(NaN), 1, 1)[0]).toBeCloseTo(0.6, 6);
    const dart = parseXgboostJson(model({ booster: "dart", weightDrop: [0.5] }), "m").ensemble;
    expect(ensembleMargins(dart, Float32Array.of(1), 1, 1)[0]).toBeCloseTo(0.3, 6);
  });
  it("refuses other objectives, boosters and categorical splits, naming the file", () => {
    expect(error(model({ objective: "reg:squarederror" })).message).toMatch(/m\/model\.json: objective "reg:squarederror" is not supported: .*binary:logistic/);
    expect(error(model({ booster: "gblinear" })).message).toMatch(/booster "gblinear" is not supported/);
    expect(error(model({ splitType: 1 })).message).toMatch(/tree 0 has categorical splits/);
    expect(error("{ not json").message).toMatch(/not valid JSON/);
    expect(error(JSON.stringify({ learner: {} })).message).toMatch(/not an XGBoost JSON model/);
  });
});
