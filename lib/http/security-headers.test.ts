// eslint-disable-next-line @typescript-eslint/no-require-imports
const { securityHeaders } = require("./security-headers") as { securityHeaders: (dev?: boolean) => Array<{ key: string; value: string }> };

describe("security headers", () => {
  it("forbid framing, sniffing and foreign sources; eval only on the dev server", () => {
    const h = Object.fromEntries(securityHeaders(false).map((x) => [x.key, x.value]));
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    const csp = h["Content-Security-Policy"]!.split("; ");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp.find((d) => d.startsWith("script-src"))).toBe("script-src 'self' 'unsafe-inline'");
    expect(securityHeaders(true).find((x) => x.key === "Content-Security-Policy")!.value).toContain("'unsafe-eval'");
  });
});
