import type { NextAuthOptions } from "next-auth";
import { resetEnvCache } from "../env";

function optionsWith(url: string | undefined) {
  if (url === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = url;
  process.env.NEXTAUTH_SECRET = "a-test-secret-of-enough-length";
  resetEnvCache();
  let opts: NextAuthOptions = { providers: [] };
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    opts = (require("./options") as typeof import("./options")).authOptions();
  });
  return opts;
}

describe("next-auth options", () => {
  afterEach(() => {
    delete process.env.NEXTAUTH_URL;
    delete process.env.NEXTAUTH_SECRET;
    resetEnvCache();
  });

  it("marks session cookies Secure when the app is served over https, not over http", () => {
    expect(optionsWith("https://assay.example").useSecureCookies).toBe(true);
    expect(optionsWith("http://localhost:3000").useSecureCookies).toBe(false);
    expect(optionsWith(undefined).useSecureCookies).toBe(false);
  });

  it("redirects only within the app after sign-in", async () => {
    const redirect = optionsWith("https://assay.example").callbacks!.redirect! as (p: { url: string; baseUrl: string }) => Promise<string>;
    expect(await redirect({ url: "https://evil.example/x", baseUrl: "https://assay.example" })).toBe("https://assay.example/");
    expect(await redirect({ url: "/projects/p", baseUrl: "https://assay.example" })).toBe("https://assay.example/projects/p");
  });
});
