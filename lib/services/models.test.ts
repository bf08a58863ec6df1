import { safeEntryName } from "./models";

describe("safeEntryName", () => {
  it.each([
    ["model.json", "model.json"],
    ["v1/model.json", "v1/model.json"],
    ["./v1//weights.bin", "v1/weights.bin"],
    ["../evil", null],
    ["v1/../../evil", null],
    ["/etc/passwd", null],
    ["C:/Windows/x", null],
    ["v1\\..\\evil", null],
    ["a\0b", null],
  ])("%s → %s", (name, expected) => {
    expect(safeEntryName(name)).toBe(expected);
  });
});
