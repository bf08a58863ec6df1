import { sameOriginRequest } from "./origin";

const req = (method: string, headers: Record<string, string>, url = "http://localhost:3000/api/audits/x/cancel") => new Request(url, { method, headers });

describe("sameOriginRequest (CSRF check for cookie-authenticated route handlers)", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(sameOriginRequest(req("GET", { origin: "https://evil.example" }))).toBe(true);
    expect(sameOriginRequest(req("HEAD", {}))).toBe(true);
  });

  it("accepts a POST from the app's own origin, by Origin or, without one, by Referer", () => {
    expect(sameOriginRequest(req("POST", { origin: "http://localhost:3000" }))).toBe(true);
    expect(sameOriginRequest(req("PUT", { referer: "http://localhost:3000/projects/p/datasets/new" }))).toBe(true);
  });

  it("refuses a POST from another origin, a look-alike, a null origin or no origin at all", () => {
    expect(sameOriginRequest(req("POST", { origin: "https://evil.example" }))).toBe(false);
    expect(sameOriginRequest(req("POST", { origin: "http://localhost:3000.evil.example" }))).toBe(false);
    expect(sameOriginRequest(req("POST", { origin: "http://localhost:3001" }))).toBe(false);
    expect(sameOriginRequest(req("DELETE", { origin: "null" }))).toBe(false);
    expect(sameOriginRequest(req("POST", {}))).toBe(false);
    expect(sameOriginRequest(req("POST", { referer: "https://evil.example/page" }))).toBe(false);
  });

  it("behind a proxy, accepts the public origin from NEXTAUTH_URL or the forwarded host", () => {
    const inner = "http://127.0.0.1:3000/api/audits";
    expect(sameOriginRequest(req("POST", { origin: "https://assay.example" }, inner), "https://assay.example")).toBe(true);
    expect(sameOriginRequest(req("POST", { origin: "https://assay.example", "x-forwarded-host": "assay.example", "x-forwarded-proto": "https" }, inner), undefined)).toBe(true);
    expect(sameOriginRequest(req("POST", { origin: "https://evil.example" }, inner), "https://assay.example")).toBe(false);
  });
});
