// Starts the built app (`next start`) and a job worker against this test's data dir, and signs
// users in through next-auth's credentials endpoint (for HTTP tests and benchmarks).

import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { authSecret } from "../../lib/auth/secret";
import { buildIfNeeded, NEXT_BIN } from "../../scripts/build";
import { ROOT } from "./shared";

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not start on ${url}`);
}

function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    c.once("exit", () => resolve());
    c.kill("SIGTERM");
  });
}

/** Builds when the sources changed, then serves the app and (optionally) a worker. */
export async function startApp(opts: { worker?: boolean; port?: number } = {}): Promise<RunningApp> {
  buildIfNeeded();
  const port = opts.port ?? 4000 + Math.floor(Math.random() * 2000);
  const url = `http://localhost:${port}`;
  const env = { ...process.env, NEXTAUTH_SECRET: authSecret(), NEXTAUTH_URL: url, ASSAY_JOB_POLL_MS: "200" };
  const server = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  const worker = opts.worker
    ? spawn(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "worker.ts")], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] })
    : null;
  await waitForServer(`${url}/sign-in`, 90_000);
  return {
    url,
    async stop() {
      await Promise.all([stopChild(server), worker ? stopChild(worker) : Promise.resolve()]);
    },
  };
}

/** Signs in with email and password; returns the Cookie header of the session. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!.trim(), v.join("="));
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: url, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (${res.status})`);
  return cookie();
}
