// The Next.js app boots on the embedded database and lists stored reports: build (when the
// sources changed), seed the demo into this test's data dir, serve, fetch the pages.

import { spawn, type ChildProcess } from "node:child_process";
import { closeDb } from "../lib/db/client";
import { buildIfNeeded, NEXT_BIN } from "../scripts/build";
import { seedDemo } from "../scripts/seed-demo";
import { listAudits } from "../lib/services/list-audits";
import { ROOT } from "./helpers/shared";

const PORT = 3000 + Math.floor(Math.random() * 1000) + 1000;
let server: ChildProcess | null = null;

/** The page's HTML without React's text-node separators. */
function text(html: string): string {
  return html.replace(/<!-- -->/g, "");
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not start on ${url}`);
}

beforeAll(async () => {
  await seedDemo();
  buildIfNeeded();
  server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(PORT)], { cwd: ROOT, env: { ...process.env }, stdio: "ignore" });
  await waitForServer(`http://localhost:${PORT}/`, 60_000);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await closeDb();
});

describe("the app", () => {
  it("lists the stored audits with their policy result", async () => {
    const html = text(await (await fetch(`http://localhost:${PORT}/`)).text());
    expect(html).toContain("CPS wages v1");
    expect(html).toContain("CPS wages v2");
    expect(html).toMatch(/badge fail">failed/);
  });

  it("shows an audit's policy checks and group tables from its stored report", async () => {
    const v1 = (await listAudits()).find((a) => a.name === "CPS wages v1")!;
    const res = await fetch(`http://localhost:${PORT}/audits/${v1.id}`);
    expect(res.status).toBe(200);
    const html = text(await res.text());
    expect(html).toContain("impact_ratio (gender)");
    expect(html).toContain("Fairness · gender &amp; race");
    expect(html).toContain("backend wasm");
  });

  it("answers 404 for an unknown audit", async () => {
    expect((await fetch(`http://localhost:${PORT}/audits/does-not-exist`)).status).toBe(404);
  });
});

