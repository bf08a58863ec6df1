import { z } from "zod";
import { isAppError } from "./errors";
import { parseInput, zodError } from "./validate";

const Z = z.object({ name: z.string().min(1, "give it a name"), nested: z.object({ n: z.number().int("n must be whole") }).optional() });

describe("parseInput", () => {
  it("returns the parsed value on success", () => {
    expect(parseInput(Z, { name: "a", nested: { n: 3 } })).toEqual({ name: "a", nested: { n: 3 } });
  });

  it("throws INVALID_INPUT naming the first issue's message and dotted path", () => {
    try {
      parseInput(Z, { name: "a", nested: { n: 1.5 } });
      throw new Error("did not throw");
    } catch (e) {
      expect(isAppError(e)).toBe(true);
      expect(e).toMatchObject({ code: "INVALID_INPUT", userMessage: "n must be whole", location: { field: "nested.n" } });
    }
  });

  it("falls back to the given field when the issue has no path, and keeps a file", () => {
    const e = zodError(z.string().min(2, "too short").safeParse("a").error!, { field: "title", file: "spec.yaml" });
    expect(e).toMatchObject({ code: "INVALID_INPUT", userMessage: "too short", location: { field: "title", file: "spec.yaml" } });
    expect(e.message).toBe(`spec.yaml, field "title": too short`);
  });
});
