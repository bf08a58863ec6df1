import { loadFixture } from "./testing/fixtures";
import { calibrationView, confusionView, performanceNote, performanceRows, rocView } from "./performance";

const v1 = loadFixture("cps-v1");
const compas = loadFixture("compas");
const perf = v1.sections.performance!;

test("metrics table in the METRICS.md order, with intervals", () => {
  const rows = performanceRows(perf);
  expect(rows.map((r) => r.id)).toEqual(["accuracy", "balanced_accuracy", "precision", "recall", "f1", "selection_rate", "roc_auc", "average_precision", "log_loss", "brier_score"]);
  expect(rows[0]).toMatchObject({ label: "Accuracy", value: "0.876", ci: "[0.848, 0.903]", reason: null });
  expect(rows.find((r) => r.id === "log_loss")!.ci).toBe("");
  // score column: no log loss or Brier score
  expect(performanceRows(compas.sections.performance!).map((r) => r.id)).not.toContain("log_loss");
});

test("ROC points sorted by FPR; the operating point is the confusion matrix's (FPR 27/268, TPR 227/266)", () => {
  const roc = rocView(v1, perf);
  expect(roc.points).toHaveLength(perf.roc.length);
  for (let i = 1; i < roc.points.length; i++) expect(roc.points[i]!.fpr).toBeGreaterThanOrEqual(roc.points[i - 1]!.fpr);
  expect(roc.operating).toEqual({ fpr: 27 / 268, tpr: 227 / 266, label: "Orange dot: this audit's threshold 0.5 (false positive rate 0.101, true positive rate 0.853)." });
  // the recall the engine stored is the same TPR
  expect(roc.operating!.tpr).toBeCloseTo(perf.metrics.recall!.value!, 15);
  expect(roc.auc).toBe("0.932");
});

test("calibration only for probability scores; empty bins dropped", () => {
  const cal = calibrationView(perf)!;
  expect(cal).toHaveLength(10);
  expect(cal[0]).toEqual({ bin: "0–0.1", meanScore: perf.calibration![0]!.meanScore, observedRate: 0, count: 109 });
  expect(cal[2]!.bin).toBe("0.2–0.3");
  expect(calibrationView(compas.sections.performance!)).toBeNull();
  const withEmpty = { ...perf, calibration: [...perf.calibration!, { lo: 1, hi: 1.1, count: 0, meanScore: null, observedRate: null }] };
  expect(calibrationView(withEmpty)).toHaveLength(10);
});

test("confusion matrix: counts, shares and plain names", () => {
  const c = confusionView(v1, perf);
  expect(c.total).toBe("534");
  expect(c.rows[0]!.actual).toBe('Actually positive (wage_above_median = "1")');
  expect(c.rows[0]!.cells.map((x) => [x.key, x.count, x.share, x.correct])).toEqual([
    ["tp", "227", "42.5%", true],
    ["fn", "39", "7.3%", false],
  ]);
  expect(c.rows[1]!.cells.map((x) => [x.key, x.count])).toEqual([
    ["fp", "27"],
    ["tn", "241"],
  ]);
});

test("the note names rows, rule and intervals", () => {
  expect(performanceNote(v1, perf)).toBe('Computed on 534 rows with the decision rule "positive when score ≥ 0.5". Brackets: 95% bootstrap intervals (1,000 resamples, seed 7); ROC AUC interval by DeLong (normal approximation).');
});
