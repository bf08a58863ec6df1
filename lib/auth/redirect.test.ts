import { sameOriginRedirect, safeCallbackPath } from "./redirect";

describe("safeCallbackPath", () => {
  it.each([
    ["/\\evil.com", "/"],
    ["/\t/evil.com", "/"],
    ["/%09/evil.com", "/%09/evil.com"], // stays a path on this app once decoded by nobody
    ["//evil.com", "/"],
    ["\\\\evil.com", "/"],
    ["https://evil.com/audits", "/"],
    ["javascript:alert(1)", "/"],
    ["evil.com", "/"],
    ["/\n/evil.com", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("refuses %j (→ %s)", (cb, expected) => {
    expect(safeCallbackPath(cb)).toBe(expected);
  });

  it("keeps a path on this app with its query and hash", () => {
    expect(safeCallbackPath("/audits/abc?tab=fairness#groups")).toBe("/audits/abc?tab=fairness#groups");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("keeps an absolute URL on the app's own origin as its path", () => {
    expect(safeCallbackPath("https://assay.example/projects/x", "https://assay.example")).toBe("/projects/x");
    expect(safeCallbackPath("https://assay.example.evil.com/projects/x", "https://assay.example")).toBe("/");
  });

  it("next-auth redirects stay on the app", () => {
    expect(sameOriginRedirect("https://evil.com/x", "https://assay.example")).toBe("https://assay.example/");
    expect(sameOriginRedirect("/\\evil.com", "https://assay.example")).toBe("https://assay.example/");
    expect(sameOriginRedirect("/audits/1", "https://assay.example")).toBe("https://assay.example/audits/1");
  });
});
