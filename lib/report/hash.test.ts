import { createHash } from "node:crypto";
import { canonicalJson, reportSha256 } from "./hash";

describe("canonicalJson / reportSha256", () => {
  it("sorts keys at every level and drops undefined, like JSON.stringify otherwise", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: "é" }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"é","z":null}]},"b":1}');
    expect(canonicalJson([1.5, "x", true, null])).toBe(JSON.stringify([1.5, "x", true, null]));
  });

  it("gives the same hash whatever the key order, and a different one for a different value", () => {
    const a = { id: "r1", metrics: [{ id: "x", value: 0.5 }], passed: true };
    const b = { passed: true, metrics: [{ value: 0.5, id: "x" }], id: "r1" };
    expect(reportSha256(a)).toBe(reportSha256(b));
    expect(reportSha256(a)).toBe(createHash("sha256").update('{"id":"r1","metrics":[{"id":"x","value":0.5}],"passed":true}').digest("hex"));
    expect(reportSha256({ ...a, passed: false })).not.toBe(reportSha256(a));
  });
});
