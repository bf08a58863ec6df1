import { etaSeconds, formatDuration, phaseLabel } from "./progress";

describe("progress", () => {
  it("extrapolates the remaining time from the elapsed time and the share done", () => {
    const start = new Date(0).toISOString();
    expect(etaSeconds(0.25, start, 30_000)).toBeCloseTo(90, 9); // 30 s for 25% → 90 s for the rest
    expect(etaSeconds(0.01, start, 30_000)).toBeNull();
    expect(etaSeconds(0.5, null, 30_000)).toBeNull();
    expect(etaSeconds(1, start, 30_000)).toBeNull();
  });
  it("formats durations and names phases in plain words", () => {
    expect(formatDuration(42.2)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min 05 s");
    expect(formatDuration(3 * 3600 + 60)).toBe("3 h 1 min");
    expect(phaseLabel("shap")).toBe("SHAP explanations");
    expect(phaseLabel(null)).toBe("Waiting for a worker");
  });
});
