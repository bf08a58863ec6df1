// The built app over HTTP: pages need a session, the demo is listed, a reviewer reads but may
// not open upload pages, and the API answers with the session cookie too.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb } from "../lib/db/client";
import { getAuditPage } from "../lib/services/audits";
import { reportSha256 } from "../lib/report/hash";
import { seedDemo } from "../scripts/seed-demo";
import { listAudits } from "../lib/services/list-audits";
import { makeUser, type TestUser } from "./helpers/users";
import { signInCookie, startApp, type RunningApp } from "./helpers/server";

let app: RunningApp;
let reviewer: TestUser;
let scientist: TestUser;

/** The page's HTML without React's text-node separators. */
function text(html: string): string {
  return html.replace(/<!-- -->/g, "");
}

beforeAll(async () => {
  await seedDemo();
  reviewer = await makeUser("reviewer");
  scientist = await makeUser("data_scientist");
  app = await startApp();
});

afterAll(async () => {
  await app?.stop();
  await closeDb();
});

describe("the app", () => {
  it("sends anonymous visitors to the sign-in page", async () => {
    const res = await fetch(`${app.url}/`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(res.status);
    expect(res.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=%2F/);
    expect((await fetch(`${app.url}/api/audits`)).status).toBe(401);
  });

  it("lists the demo project and its audits for a signed-in reviewer", async () => {
    const cookie = await signInCookie(app.url, reviewer.actor.email, reviewer.password);
    const home = text(await (await fetch(`${app.url}/`, { headers: { cookie } })).text());
    expect(home).toContain("CPS wages demo");
    const audits = text(await (await fetch(`${app.url}/audits`, { headers: { cookie } })).text());
    expect(audits).toContain("CPS wages v1");
    expect(audits).toContain("CPS wages v2");
    const api = await fetch(`${app.url}/api/audits`, { headers: { cookie } });
    expect(api.status).toBe(200);
  });

  it("renders an audit page with its report", async () => {
    const cookie = await signInCookie(app.url, reviewer.actor.email, reviewer.password);
    const v1 = (await listAudits(reviewer.actor)).find((a) => a.name === "CPS wages v1")!;
    const res = await fetch(`${app.url}/audits/${v1.id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = text(await res.text());
    expect(html).toContain("CPS wages v1");
    expect(html).toContain("impact_ratio");
    expect((await fetch(`${app.url}/audits/does-not-exist`, { headers: { cookie } })).status).toBe(404);
  });

  it("serves the audit's PDF to a signed-in reader, rendered from the stored report", async () => {
    const cookie = await signInCookie(app.url, reviewer.actor.email, reviewer.password);
    const v2 = (await listAudits(reviewer.actor)).find((a) => a.name === "CPS wages v2")!;
    const res = await fetch(`${app.url}/api/audits/${v2.id}/pdf`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/cps-wages-v2\.pdf/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const file = path.join(os.tmpdir(), `assay-app-${v2.id}.pdf`);
    fs.writeFileSync(file, bytes);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    const page = await getAuditPage(reviewer.actor, v2.id);
    expect(text.replace(/\s+/g, "")).toContain(reportSha256(page.report));
    expect(text).toMatch(/previous/i); // v1 is the previous audited version
    expect((await fetch(`${app.url}/api/audits/${v2.id}/pdf`)).status).toBe(401);
  });

  it("refuses upload pages to a reviewer and shows them to a data scientist", async () => {
    const rc = await signInCookie(app.url, reviewer.actor.email, reviewer.password);
    const refused = await fetch(`${app.url}/projects/cps-wages-demo/datasets/new`, { headers: { cookie: rc }, redirect: "manual" });
    expect(refused.headers.get("location")).toMatch(/\/forbidden\?need=upload/);
    const sc = await signInCookie(app.url, scientist.actor.email, scientist.password);
    const ok = await fetch(`${app.url}/projects/cps-wages-demo/datasets/new`, { headers: { cookie: sc } });
    expect(ok.status).toBe(200);
    expect(text(await ok.text())).toContain("Upload a dataset");
  });

  it("rejects a wrong password", async () => {
    await expect(signInCookie(app.url, reviewer.actor.email, "wrong-password")).rejects.toThrow(/sign-in .* failed/);
  });
});
