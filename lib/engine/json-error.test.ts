import { describeJsonError, notValidJson } from "./json-error";

function errorOf(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error("parsed");
}

it.each([
  ['{\n  "format": "onnx",\n  oops\n}', /^line 3, column 3: /],
  ['{"a": 1,}', /^line 1, column 9: /],
  ["[1, 2", /^the file ends too early/],
  ["", /^the file ends too early/],
  ["{'a': 1}", /^line 1, column 2: /],
])("locates the error in %p", (text, expected) => {
  expect(describeJsonError(text, errorOf(text))).toMatch(expected);
});

it("names the file and never says 'JSON at position'", () => {
  const text = '{\n"a": 1\n"b": 2}';
  const msg = notValidJson("assay.model.json", text, errorOf(text));
  expect(msg).toMatch(/^assay\.model\.json is not valid JSON \(line 3, column 1: .+\)$/);
  expect(msg).not.toMatch(/position/);
  // V8 gives no position for some errors: the reason alone, in plain words
  const noPos = '{\n"a": }';
  expect(notValidJson("model.json", noPos, errorOf(noPos))).toBe('model.json is not valid JSON (unexpected character “}” near "{ "a": }")');
  const nan = `{"features": [{"column": "age", "mean": NaN, "std": 1}], "format": "tfjs-layers", "padding": "${"x".repeat(40)}"}`;
  expect(notValidJson("assay.model.json", nan, errorOf(nan))).toMatch(/^assay\.model\.json is not valid JSON \(unexpected character “N” near .*NaN.* \(JSON has no NaN or Infinity: write a number or null\)\)$/);
});
