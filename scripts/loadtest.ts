// A small load generator for a running Assay app (loopback only, bounded in time, no
// dependencies: Node's fetch). N closed-loop clients — each sends its next request as soon as
// the previous answer is read, no think time, like `autocannon -c N` — browse stored reports
// and the REST API for D seconds: the audit list, an audit's status with its report, the report
// download, the status of audits in progress (as the audit page polls it) and, with a session
// cookie, the audit page's HTML. It counts every request and answer, calls an error any status
// ≥ 500 and any network error or timeout, and gives latency percentiles (time to the whole body).
//
//   npx tsx scripts/loadtest.ts --url http://localhost:3000 --token assay_… [--cookie 'next-auth.session-token=…']
//       [--clients 20] [--seconds 15] [--audit ID …] [--watch ID …]
//
// Without --audit it browses the succeeded audits GET /api/audits lists. `runLoadScenario` is
// the whole scenario of tests/load.int.test.ts and `npm run bench -- load`: seed the demo, start
// the built app with its worker, queue two audits, run the load while they run, wait for them.

export interface LoadOptions {
  /** The app's base URL: localhost, 127.0.0.1 or ::1 only. */
  url: string;
  clients: number;
  seconds: number;
  /** API tokens (`Authorization: Bearer`), dealt to clients in turn. At least one. */
  tokens: string[];
  /** Session cookies (Cookie header values) for the HTML pages; none: no page requests. */
  cookies?: string[];
  /** Finished audits to browse; default: the succeeded ones GET /api/audits lists. */
  auditIds?: string[];
  /** Audits in progress whose status the clients poll (GET /api/audits/:id). */
  watchIds?: string[];
  /** Per-request limit; a request that takes longer is an error (default 30 s). */
  timeoutMs?: number;
  /** Seed of the clients' request choices. */
  seed?: number;
  /** Keeps the first few error descriptions (default 20). */
  keepErrors?: number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  clients: number;
  /** Wall time of the run, from the first request to the last answer (s). */
  seconds: number;
  /** Requests sent. */
  requests: number;
  /** Requests that got an HTTP answer (any status), body read. */
  answered: number;
  /** Status ≥ 500, network errors and timeouts. */
  errors: number;
  errorSamples: string[];
  /** Answers per status code ("200": n, …) and "network" for requests without one. */
  byStatus: Record<string, number>;
  /** Answers per second. */
  rps: number;
  /** Latency of every answered request, ms. */
  latency: Percentiles;
  /** Latency per kind of request, ms. */
  perRoute: Record<string, Percentiles & { bytes: number }>;
  /** Epoch ms of the first request and of the end. */
  startedAt: number;
  endedAt: number;
}

type RouteKind = "list" | "status+report" | "report" | "watch" | "page";

interface Target {
  kind: RouteKind;
  path: string;
  auth: "token" | "cookie";
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Throws unless `url` is an http(s) URL on this machine's loopback interface. */
export function assertLoopback(url: string): URL {
  const u = new URL(url);
  if (!/^https?:$/.test(u.protocol) || !LOOPBACK.has(u.hostname)) throw new Error(`the load test only targets this machine (localhost, 127.0.0.1, ::1), not ${u.host}`);
  return u;
}

/** Nearest-rank percentile of ascending `sorted` (0 for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1]! : 0,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0,
  };
}

/** mulberry32: a small seeded PRNG, so two runs send the same mix. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function discoverAudits(base: string, token: string): Promise<string[]> {
  const res = await fetch(`${base}/api/audits?take=50`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /api/audits answered ${res.status}`);
  const { audits } = (await res.json()) as { audits: Array<{ id: string; status: string }> };
  return audits.filter((a) => a.status === "succeeded").map((a) => a.id);
}

/** Runs the load and returns what it measured; never throws for an answer it got. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const base = assertLoopback(opts.url).origin;
  if (opts.tokens.length === 0) throw new Error("runLoad needs at least one API token");
  if (!(opts.clients >= 1) || !(opts.seconds > 0)) throw new Error("runLoad needs clients ≥ 1 and seconds > 0");
  const cookies = opts.cookies ?? [];
  const auditIds = opts.auditIds ?? (await discoverAudits(base, opts.tokens[0]!));
  if (auditIds.length === 0) throw new Error("no finished audit to browse");
  const watchIds = opts.watchIds ?? [];
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const keepErrors = opts.keepErrors ?? 20;

  const pick = <T>(r: () => number, xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const nextTarget = (r: () => number): Target => {
    const kinds: RouteKind[] = ["list", "status+report", "report", ...(watchIds.length ? (["watch"] as const) : []), ...(cookies.length ? (["page"] as const) : [])];
    const kind = pick(r, kinds);
    switch (kind) {
      case "list":
        return { kind, path: "/api/audits", auth: "token" };
      case "status+report":
        return { kind, path: `/api/audits/${pick(r, auditIds)}?include=report`, auth: "token" };
      case "report":
        return { kind, path: `/api/audits/${pick(r, auditIds)}/report`, auth: "token" };
      case "watch":
        return { kind, path: `/api/audits/${pick(r, watchIds)}`, auth: "token" };
      case "page":
        return { kind, path: `/audits/${pick(r, auditIds)}`, auth: "cookie" };
    }
  };

  const all: number[] = [];
  const per = new Map<RouteKind, { ms: number[]; bytes: number }>();
  const byStatus: Record<string, number> = {};
  const errorSamples: string[] = [];
  let requests = 0;
  let answered = 0;
  let errors = 0;
  const noteError = (msg: string) => {
    errors++;
    if (errorSamples.length < keepErrors) errorSamples.push(msg);
  };

  const startedAt = Date.now();
  const stopAt = startedAt + opts.seconds * 1000;
  const client = async (i: number) => {
    const r = rng((opts.seed ?? 1) * 7919 + i);
    const token = opts.tokens[i % opts.tokens.length]!;
    const cookie = cookies.length ? cookies[i % cookies.length]! : "";
    while (Date.now() < stopAt) {
      const t = nextTarget(r);
      const headers: Record<string, string> = t.auth === "token" ? { authorization: `Bearer ${token}` } : { cookie };
      requests++;
      const s = performance.now();
      try {
        const res = await fetch(`${base}${t.path}`, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        const body = await res.arrayBuffer();
        const ms = performance.now() - s;
        answered++;
        all.push(ms);
        const slot = per.get(t.kind) ?? { ms: [], bytes: 0 };
        slot.ms.push(ms);
        slot.bytes = Math.max(slot.bytes, body.byteLength);
        per.set(t.kind, slot);
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) noteError(`${res.status} GET ${t.path}: ${new TextDecoder().decode(body.slice(0, 200))}`);
      } catch (e) {
        byStatus.network = (byStatus.network ?? 0) + 1;
        noteError(`GET ${t.path}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  const endedAt = Date.now();
  const seconds = (endedAt - startedAt) / 1000;
  const perRoute = Object.fromEntries([...per].map(([k, v]) => [k, { ...summarize(v.ms), bytes: v.bytes }]));
  return { clients: opts.clients, seconds, requests, answered, errors, errorSamples, byStatus, rps: answered / seconds, latency: summarize(all), perRoute, startedAt, endedAt };
}

/** A few lines for a log: totals, percentiles overall and per kind of request. */
export function formatLoadResult(r: LoadResult): string {
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const lines = [
    `${r.clients} clients, ${r.seconds.toFixed(1)} s: ${r.requests} requests, ${r.answered} answered, ${r.errors} errors, ${r.rps.toFixed(1)} req/s; statuses ${JSON.stringify(r.byStatus)}`,
    `latency p50 ${ms(r.latency.p50)}, p95 ${ms(r.latency.p95)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`,
    ...Object.entries(r.perRoute).map(([k, v]) => `  ${k.padEnd(14)} n=${String(v.count).padStart(5)}  p50 ${ms(v.p50).padStart(7)}  p95 ${ms(v.p95).padStart(7)}  p99 ${ms(v.p99).padStart(7)}  max ${ms(v.max).padStart(7)}  (${(v.bytes / 1024).toFixed(0)} KB max)`),
    ...r.errorSamples.map((e) => `  error: ${e}`),
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The scenario: 20 signed-in clients browsing while 2 audits run.

export interface ScenarioAudit {
  id: string;
  name: string;
  status: string;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ScenarioResult {
  load: LoadResult;
  /** The two audits queued at the start of the load, after they finished (or timed out). */
  audits: ScenarioAudit[];
  /** Share of the load's wall time during which at least one of them was running (0–1). */
  overlap: number;
  /** The optional first run: the same mix before the audits are queued (worker idle). */
  baseline: LoadResult | null;
  /** Finished audits browsed, and how long seeding took (s). */
  browsed: number;
  seedSeconds: number;
}

/**
 * Seeds the demo (CPS wages, and Adult GBM when the shared datasets are there) into the current
 * data dir (ASSAY_DATA_DIR: set it before calling), starts the built app with one worker
 * (`startApp` builds first when the sources changed), signs in twice (a reviewer and a data
 * scientist: page requests), queues two audits through POST /api/audits (the Adult GBM demo's
 * specs, the heaviest seeded ones, else CPS wages') and runs `clients` clients for `seconds`
 * while the worker runs them; then waits for both audits (at most `auditWaitMs`). With
 * `baseline`, first measures the same mix (without the status polls) while the worker is idle.
 */
export async function runLoadScenario(opts: {
  clients: number;
  seconds: number;
  /** First the same mix with this many clients for this long, before the audits are queued. */
  baseline?: { clients: number; seconds: number };
  auditWaitMs?: number;
  log?: (msg: string) => void;
}): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const { seedDemo } = await import("./seed-demo");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { makeUser } = await import("../tests/helpers/users");
  const { startApp, signInCookie } = await import("../tests/helpers/server");

  const t0 = performance.now();
  await seedDemo();
  const seedSeconds = (performance.now() - t0) / 1000;
  const reviewer = await makeUser("reviewer");
  const scientist = await makeUser("data_scientist");
  const browsed = await getDb().audit.findMany({ where: { status: "succeeded" }, select: { id: true } });
  // the specs of the two heaviest seeded audits, with the stored dataset and model paths
  const seeded = await getDb().audit.findMany({ where: { status: "succeeded" }, include: { project: true, dataset: true, modelVersion: true }, orderBy: { createdAt: "asc" } });
  const gbm = seeded.filter((a) => a.project?.name === "Adult income GBM demo");
  const chosen = (gbm.length === 2 ? gbm : seeded.slice(0, 2)).map((a) => {
    const spec = a.spec as { name: string; dataset: Record<string, unknown>; model: Record<string, unknown> };
    return { project: a.project!.slug, spec: { ...spec, name: `${spec.name} (under load)`, dataset: { ...spec.dataset, path: a.dataset!.path }, model: { ...spec.model, path: a.modelVersion!.path } } };
  });
  await closeDb();
  log(`seeded ${browsed.length} audits in ${seedSeconds.toFixed(1)} s; starting the app`);

  const app = await startApp({ worker: true });
  try {
    const cookies = [await signInCookie(app.url, reviewer.actor.email, reviewer.password), await signInCookie(app.url, scientist.actor.email, scientist.password)];
    const tokens = [reviewer.token, scientist.token];
    // warm-up: every route compiled and loaded once before the clock starts
    for (const path of ["/api/audits", `/api/audits/${browsed[0]!.id}?include=report`, `/api/audits/${browsed[0]!.id}/report`]) await (await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${tokens[0]}` } })).arrayBuffer();
    await (await fetch(`${app.url}/audits/${browsed[0]!.id}`, { headers: { cookie: cookies[0]! } })).arrayBuffer();

    const auditIds = browsed.map((b) => b.id);
    const baseline = opts.baseline ? await runLoad({ url: app.url, ...opts.baseline, tokens, cookies, auditIds }) : null;
    if (baseline) log(`baseline, worker idle: ${formatLoadResult(baseline)}`);

    const queued: string[] = [];
    for (const c of chosen) {
      const res = await fetch(`${app.url}/api/audits`, { method: "POST", headers: { authorization: `Bearer ${scientist.token}`, "content-type": "application/json" }, body: JSON.stringify(c) });
      const body = (await res.json()) as { id?: string; error?: { message: string } };
      if (res.status !== 201 || !body.id) throw new Error(`POST /api/audits answered ${res.status}: ${body.error?.message}`);
      queued.push(body.id);
    }
    log(`queued ${chosen.map((c) => c.spec.name).join(", ")}; ${opts.clients} clients for ${opts.seconds} s`);
    const load = await runLoad({ url: app.url, clients: opts.clients, seconds: opts.seconds, tokens, cookies, auditIds, watchIds: queued });

    const audits: ScenarioAudit[] = [];
    const end = Date.now() + (opts.auditWaitMs ?? 120_000);
    for (const id of queued) {
      for (;;) {
        const res = await fetch(`${app.url}/api/audits/${id}`, { headers: { authorization: `Bearer ${tokens[0]}` } });
        const a = (await res.json()) as ScenarioAudit;
        if (!["queued", "running"].includes(a.status) || Date.now() > end) {
          audits.push({ id, name: a.name, status: a.status, error: a.error, startedAt: a.startedAt, finishedAt: a.finishedAt });
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    // the union of the audits' running intervals, clipped to the load's window
    const intervals = audits
      .filter((a) => a.startedAt)
      .map((a) => [Math.max(load.startedAt, Date.parse(a.startedAt!)), Math.min(load.endedAt, a.finishedAt ? Date.parse(a.finishedAt) : load.endedAt)] as const)
      .filter(([s, e]) => e > s)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let reach = load.startedAt;
    for (const [s, e] of intervals) {
      const from = Math.max(s, reach);
      if (e > from) covered += e - from;
      reach = Math.max(reach, e);
    }
    return { load, audits, overlap: covered / Math.max(1, load.endedAt - load.startedAt), baseline, browsed: browsed.length, seedSeconds };
  } finally {
    await app.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Command line: against an app that is already running.

function argValues(argv: string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === name && argv[i + 1] !== undefined) out.push(argv[i + 1]!);
  });
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const url = argValues(argv, "--url")[0] ?? "http://localhost:3000";
  const tokens = argValues(argv, "--token");
  if (tokens.length === 0 && process.env.ASSAY_TOKEN) tokens.push(process.env.ASSAY_TOKEN);
  if (tokens.length === 0) throw new Error("usage: tsx scripts/loadtest.ts --url http://localhost:3000 --token assay_… [--cookie COOKIE] [--clients 20] [--seconds 15] [--audit ID …] [--watch ID …]");
  const audits = argValues(argv, "--audit");
  const r = await runLoad({
    url,
    tokens,
    cookies: argValues(argv, "--cookie"),
    clients: Number(argValues(argv, "--clients")[0] ?? 20),
    seconds: Math.min(600, Number(argValues(argv, "--seconds")[0] ?? 15)),
    auditIds: audits.length ? audits : undefined,
    watchIds: argValues(argv, "--watch"),
  });
  process.stdout.write(`${formatLoadResult(r)}\n`);
  if (r.errors > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  });
}
