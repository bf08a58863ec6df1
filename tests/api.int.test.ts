// The REST API and the job worker end to end, through the real route handlers (no HTTP server):
// uploads (streamed CSV, zipped model), audits queued and run by a worker with a lease, progress,
// cancellation, recovery of a crashed worker's audit, and every mutating endpoint refusing
// anonymous callers (401) and the wrong role (403).

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import yazl from "yazl";
import { getDb, closeDb } from "../lib/db/client";
import { dataDir, resetEnvCache } from "../lib/env";
import { createProject } from "../lib/services/projects";
import { createDbQueue } from "../lib/jobs/queue";
import { startWorker } from "../lib/jobs/worker";
import { handleRunAudit } from "../lib/jobs/run-audit-handler";
import * as auditsRoute from "../app/api/audits/route";
import * as auditRoute from "../app/api/audits/[id]/route";
import * as reportRoute from "../app/api/audits/[id]/report/route";
import * as cancelRoute from "../app/api/audits/[id]/cancel/route";
import * as datasetsRoute from "../app/api/projects/[slug]/datasets/route";
import * as modelsRoute from "../app/api/projects/[slug]/models/route";
import * as describeRoute from "../app/api/projects/[slug]/models/describe/route";
import * as bundleRoute from "../app/api/audits/[id]/bundle/route";
import * as rerunRoute from "../app/api/audits/[id]/rerun/route";
import { edgeIndexOf, ratesAtThresholdOrThrow, thresholdAttribute } from "../lib/views/threshold";
import { extractZip } from "../lib/io/zip";
import type { Report } from "../lib/report/types";
import { runCli, tempDir } from "./helpers/cli";
import { bearer, makeUser, type TestUser } from "./helpers/users";
import { ROOT } from "./helpers/shared";

const CPS_CSV = path.join(ROOT, "audits/examples/cps-wages/cps-wages-1985.csv");
const CPS_V2 = path.join(ROOT, "audits/examples/cps-wages/models/v2");

let ds: TestUser;
let reviewer: TestUser;
let slug: string;

function params<P>(p: P) {
  return { params: Promise.resolve(p) };
}

function zipOf(entries: Array<[string, Buffer]>): Promise<Buffer> {
  return new Promise((resolve) => {
    const z = new yazl.ZipFile();
    for (const [name, data] of entries) z.addBuffer(data, name);
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c));
    z.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    z.end();
  });
}

async function putDataset(token: string | null, name: string, body: Buffer) {
  return datasetsRoute.PUT(
    new Request(`http://x/api/projects/${slug}/datasets?name=${name}`, { method: "PUT", headers: token ? bearer(token) : {}, body, duplex: "half" } as RequestInit),
    params({ slug }),
  );
}

async function postModel(token: string | null, form: FormData) {
  return modelsRoute.POST(new Request(`http://x/api/projects/${slug}/models`, { method: "POST", headers: token ? bearer(token) : {}, body: form }), params({ slug }));
}

async function postAudit(token: string | null, body: unknown) {
  return auditsRoute.POST(new Request("http://x/api/audits", { method: "POST", headers: { ...(token ? bearer(token) : {}), "content-type": "application/json" }, body: JSON.stringify(body) }), params({}));
}

async function getStatus(token: string, id: string, include = false) {
  const res = await auditRoute.GET(new Request(`http://x/api/audits/${id}${include ? "?include=report" : ""}`, { headers: bearer(token) }), params({ id }));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitFor(id: string, statuses: string[], ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const a = await getDb().audit.findUniqueOrThrow({ where: { id } });
    if (statuses.includes(a.status)) return a;
    if (Date.now() > end) throw new Error(`audit ${id} still ${a.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let datasetPath: string;
let modelPath: string;
/** The first audit the jobs tests run to completion. */
let firstAudit: string;

beforeAll(async () => {
  ds = await makeUser("data_scientist");
  reviewer = await makeUser("reviewer");
  slug = (await createProject(ds.actor, { name: "API test project" })).slug;
});

afterAll(async () => {
  await closeDb();
});

describe("uploads", () => {
  it("streams a CSV into the data dir, parses it and registers it with its profile", async () => {
    const res = await putDataset(ds.token, "cps.csv", fs.readFileSync(CPS_CSV));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const d = await getDb().dataset.findUniqueOrThrow({ where: { id } });
    expect(d.rows).toBe(534);
    datasetPath = d.path;
    expect(fs.readFileSync(path.join(dataDir(), d.path))).toEqual(fs.readFileSync(CPS_CSV));
    const profile = d.columns as { valueCounts: Record<string, Array<{ value: string; count: number }>>; preview: string[][] };
    expect(profile.valueCounts.gender!.map((v) => v.count).reduce((a, b) => a + b, 0)).toBe(534);
    expect(profile.preview).toHaveLength(20);
  });

  it("refuses a malformed CSV with its line and column, and keeps nothing", async () => {
    const before = await getDb().dataset.count();
    const res = await putDataset(ds.token, "bad.csv", Buffer.from('a,b\n1,2\n3,"open\n'));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { message: string; line: number; file: string } };
    expect(body.error).toMatchObject({ file: "bad.csv", line: 3 });
    expect(await getDb().dataset.count()).toBe(before);
    expect(fs.readdirSync(path.join(dataDir(), "tmp"))).toEqual([]);
  });

  it("uploads a zipped TF.js model, checking it on the dataset's first rows", async () => {
    const d = await getDb().dataset.findFirstOrThrow({ where: { path: datasetPath } });
    const zip = await zipOf(["model.json", "weights.bin", "assay.model.json"].map((f) => [`v2/${f}`, fs.readFileSync(path.join(CPS_V2, f))]));
    const form = new FormData();
    form.set("version", "v2");
    form.set("datasetId", d.id);
    form.append("files", new Blob([new Uint8Array(zip)]), "model.zip");
    const res = await postModel(ds.token, form);
    expect(res.status).toBe(201);
    const v = await getDb().modelVersion.findFirstOrThrow({ where: { version: "v2" } });
    modelPath = v.path!;
    expect(fs.readdirSync(path.join(dataDir(), modelPath)).sort()).toEqual(["assay.model.json", "model.json", "weights.bin"]);
  });

  it("refuses archives with path traversal and models that do not fit the dataset", async () => {
    const d = await getDb().dataset.findFirstOrThrow({ where: { path: datasetPath } });
    // zip writers refuse such names, so write a safe one of the same length and patch the bytes
    const evil = Buffer.from((await zipOf([["xx/xx/evil.txt", Buffer.from("x")]])).toString("latin1").replaceAll("xx/xx/", "../../"), "latin1");
    const form = new FormData();
    form.set("version", "v9");
    form.set("datasetId", d.id);
    form.append("files", new Blob([new Uint8Array(evil)]), "model.zip");
    const res = await postModel(ds.token, form);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/unsafe path/);
    expect(fs.existsSync(path.join(dataDir(), "..", "evil.txt"))).toBe(false);

    const manifest = JSON.parse(fs.readFileSync(path.join(CPS_V2, "assay.model.json"), "utf8"));
    manifest.features[0].column = "no_such_column";
    const form2 = new FormData();
    form2.set("version", "v8");
    form2.set("datasetId", d.id);
    for (const f of ["model.json", "weights.bin"]) form2.append("files", new Blob([fs.readFileSync(path.join(CPS_V2, f))]), f);
    form2.append("files", new Blob([JSON.stringify(manifest)]), "assay.model.json");
    const res2 = await postModel(ds.token, form2);
    expect(res2.status).toBe(422);
    expect(((await res2.json()) as { error: { message: string } }).error.message).toMatch(/no_such_column/);
    expect(await getDb().modelVersion.count({ where: { version: { in: ["v8", "v9"] } } })).toBe(0);
  });
});

describe("ONNX and XGBoost uploads", () => {
  const FIX = path.join(ROOT, "tests/fixtures/models");
  async function dataset(name: string, label: string) {
    const res = await putDataset(ds.token, `${name}.csv`, fs.readFileSync(path.join(FIX, name, "data.csv")));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await getDb().dataset.update({ where: { id }, data: { label, positive: "1" } }); // as the dataset page's defaults form does
    return getDb().dataset.findUniqueOrThrow({ where: { id } });
  }
  async function describeUpload(datasetId: string, files: Array<[string, Buffer]>) {
    const form = new FormData();
    form.set("datasetId", datasetId);
    for (const [name, data] of files) form.append("files", new Blob([new Uint8Array(data)]), name);
    const res = await describeRoute.POST(new Request(`http://x/api/projects/${slug}/models/describe`, { method: "POST", headers: bearer(ds.token), body: form }), params({ slug }));
    return { status: res.status, body: (await res.json()) as { format: string; manifest: string; proposed: boolean; notes: string[]; summary: string[]; error?: { message: string } } };
  }

  it("proposes a columns-mode manifest for a scikit-learn pipeline's .onnx from the dataset, and keeps the version with what it can do", async () => {
    const d = await dataset("sklearn-columns", "label");
    const onnx = fs.readFileSync(path.join(FIX, "sklearn-columns/model.onnx"));
    const described = await describeUpload(d.id, [["model.onnx", onnx]]);
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ format: "onnx", proposed: true });
    expect(described.body.summary.join("\n")).toMatch(/inputs: income tensor\(float\)\[\?,1\], age tensor\(float\)\[\?,1\], city tensor\(string\)/);
    const m = JSON.parse(described.body.manifest);
    expect(m).toMatchObject({ format: "onnx", input: { mode: "columns" }, output: { type: "softmax", name: "probabilities", positiveIndex: 1 } });
    expect(m.features.map((f: { name: string; type: string }) => `${f.name}:${f.type}`)).toEqual(["income:numeric", "age:numeric", "city:categorical", "plan:categorical"]);
    expect(m.features[2].categories).toEqual(expect.arrayContaining(["Lima", "Oslo", "Rome"]));
    const form = new FormData();
    form.set("version", "pipeline-1");
    form.set("datasetId", d.id);
    form.set("manifest", described.body.manifest);
    form.append("files", new Blob([new Uint8Array(onnx)]), "model.onnx");
    const res = await postModel(ds.token, form);
    expect(res.status).toBe(201);
    const v = await getDb().modelVersion.findFirstOrThrow({ where: { version: "pipeline-1" } });
    expect(v.kind).toBe("onnx");
    expect(v.capabilities).toMatchObject({ format: "onnx", trees: null, gradients: null, noGradients: expect.stringMatching(/columns-mode/) });
    expect(fs.readdirSync(path.join(dataDir(), v.path!)).sort()).toEqual(["assay.model.json", "model.onnx"]);
  });

  it("reads an XGBoost JSON alone, refuses PGD on it with 422 naming the attacks that work, and queues the boundary attack", async () => {
    const d = await dataset("xgb-small", "label");
    const json = fs.readFileSync(path.join(FIX, "xgb-small/model.json"));
    const described = await describeUpload(d.id, [["model.json", json]]);
    expect(described.body).toMatchObject({ format: "xgboost-json", proposed: true });
    const m = JSON.parse(described.body.manifest);
    expect(m.features.map((f: { name: string }) => f.name)).toEqual(["x0", "x1", "x2", "x3", "x4"]);
    expect(m.features.every((f: { type: string; mean?: number }) => f.type === "numeric" && f.mean === undefined)).toBe(true);
    // no manifest at all: refused with a message that says what to do
    const bare = new FormData();
    bare.set("version", "gbm-0");
    bare.set("datasetId", d.id);
    bare.append("files", new Blob([new Uint8Array(json)]), "model.json");
    const refused = await postModel(ds.token, bare);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/missing assay\.model\.json.*let the form propose one/);
    const form = new FormData();
    form.set("version", "gbm-1");
    form.set("datasetId", d.id);
    form.set("manifest", described.body.manifest);
    form.append("files", new Blob([new Uint8Array(json)]), "model.json");
    expect((await postModel(ds.token, form)).status).toBe(201);
    const v = await getDb().modelVersion.findFirstOrThrow({ where: { version: "gbm-1" } });
    expect(v.capabilities).toMatchObject({ format: "xgboost-json", trees: { count: 10, maxDepth: 3, units: "log-odds" }, gradients: null });
    const spec = (attack: string) => ({
      name: "GBM audit",
      dataset: { path: d.path, label: "label", positive: "1" },
      model: { path: v.path },
      sensitive: ["x0"],
      analyses: { performance: {}, robustness: { attack, rows: 20 } },
    });
    const pgd = await postAudit(ds.token, { project: slug, spec: spec("pgd") });
    expect(pgd.status).toBe(422);
    const err = ((await pgd.json()) as { error: { message: string; field: string } }).error;
    expect(err).toMatchObject({ field: "analyses.robustness.attack" });
    expect(err.message).toMatch(/attack "pgd" needs the model's gradients.*attacks that work on it: random, boundary/);
    // a column the audit reads that the dataset lacks: refused before queuing, naming it
    const missing = await postAudit(ds.token, { project: slug, spec: { ...spec("boundary"), sensitive: ["x0", "no_such_column"] } });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/xgb-small\.csv has no column "no_such_column", which the audit reads/);
    const boundary = await postAudit(ds.token, { project: slug, spec: spec("boundary") });
    expect(boundary.status).toBe(201);
    const { id } = (await boundary.json()) as { id: string };
    await getDb().audit.update({ where: { id }, data: { status: "cancelled" } }); // not run here: the jobs tests below run audits
  });
});

describe("audits as jobs", () => {
  const spec = () => ({
    name: "API audit",
    dataset: { path: datasetPath, label: "wage_above_median", positive: "1" },
    model: { path: modelPath },
    sensitive: ["gender", "race"],
    analyses: { performance: {}, fairness: { bootstrap: 200 }, shap: { rows: 20, background: { method: "sample", size: 20 } } },
    policy: [{ metric: "impact_ratio", attribute: "gender", min: 0.8 }],
  });

  it("queues an audit, runs it in a worker with progress, and serves the report", async () => {
    const res = await postAudit(ds.token, { project: slug, spec: spec() });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await getStatus(reviewer.token, id)).body).toMatchObject({ status: "queued", progress: 0 });
    const phases = new Set<string>();
    const seen = setInterval(async () => {
      const a = await getDb().audit.findUnique({ where: { id }, select: { phase: true } });
      if (a?.phase) phases.add(a.phase);
    }, 20);
    const worker = startWorker({ pollMs: 50 });
    const done = await waitFor(id, ["succeeded", "failed"]);
    clearInterval(seen);
    await worker.stop();
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(phases.size).toBeGreaterThanOrEqual(1);
    const st = await getStatus(reviewer.token, id, true);
    expect(st.body).toMatchObject({ status: "succeeded", progress: 1 });
    const report = st.body.report as { sections: { shap: { rows: unknown[] } }; policy: Array<{ metric: string }> };
    firstAudit = id;
    expect(report.sections.shap.rows).toHaveLength(20);
    expect(report.policy[0]!.metric).toBe("impact_ratio");
    expect((await getStatus(reviewer.token, id)).body.report).toBeUndefined();
    // the included report, and the download with and without gzip, are the stored report exactly
    const stored = (await getDb().audit.findUniqueOrThrow({ where: { id } })).report;
    expect(st.body.report).toEqual(stored);
    expect(Object.keys(st.body).slice(0, 3)).toEqual(["id", "name", "status"]);
    const download = await reportRoute.GET(new Request(`http://x/api/audits/${id}/report`, { headers: bearer(reviewer.token) }), params({ id }));
    const plainText = await download.text();
    expect(JSON.parse(plainText)).toEqual(stored);
  });

  it("re-runs an audit at a threshold chosen on the slider: the new audit's group rates are the slider's", async () => {
    const original = (await getDb().audit.findUniqueOrThrow({ where: { id: firstAudit } })).report as unknown as Report;
    const dist = original.sections.fairness!.distribution!;
    // binned or exact, the slider's numbers are exact at the bin edges (bin k holds [edges[k], edges[k+1]));
    // an edge away from the audit's 0.5: the slider's numbers there, from the stored distribution
    const k = edgeIndexOf(dist.edges, 0.35);
    const threshold = dist.edges[k]!;
    expect(threshold).not.toBe(0.5);
    const gender = original.sections.fairness!.attributes.find((a) => a.attribute === "gender")!;
    const slider = ratesAtThresholdOrThrow(dist, thresholdAttribute(gender, "benefit"), k);

    const rerun = (token: string | null, id: string, body: unknown) =>
      rerunRoute.POST(new Request(`http://x/api/audits/${id}/rerun`, { method: "POST", headers: { ...(token ? bearer(token) : {}), "content-type": "application/json" }, body: JSON.stringify(body) }), params({ id }));
    expect((await rerun(null, firstAudit, { threshold })).status).toBe(401);
    expect((await rerun(reviewer.token, firstAudit, { threshold })).status).toBe(403);
    expect((await rerun(ds.token, "no-such-audit", { threshold })).status).toBe(404);
    const bad = await rerun(ds.token, firstAudit, { threshold: "x" });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("threshold");

    const res = await rerun(ds.token, firstAudit, { threshold });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const queued = await getDb().audit.findUniqueOrThrow({ where: { id } });
    expect(queued.status).toBe("queued");
    expect((queued.spec as { threshold: number }).threshold).toBe(threshold);
    expect(queued.name).toBe(`API audit (threshold ${threshold})`);
    const worker = startWorker({ pollMs: 50 });
    const done = await waitFor(id, ["succeeded", "failed"]);
    await worker.stop();
    expect(done.error).toBeNull();
    const report = done.report as unknown as Report;
    expect(report.decision.threshold).toBe(threshold);
    const groups = report.sections.fairness!.attributes.find((a) => a.attribute === "gender")!.groups;
    expect(groups.map((g) => g.group)).toEqual(slider.groups.map((g) => g.group));
    for (const g of groups) {
      const at = slider.groups.find((x) => x.group === g.group)!;
      expect(g.confusion).toEqual(at.confusion);
      for (const rate of ["selection_rate", "tpr", "fpr", "ppv"] as const) expect(g.rates[rate]!.value).toBeCloseTo(at.rates[rate]!, 12);
      expect(g.impactRatio.value).toBeCloseTo(at.impactRatio!, 12);
    }
  });

  it("serves an audit bundle that reproduces the audit exactly with `assay audit`, and that `assay verify` checks", async () => {
    // run by a real worker process (`npm run worker`), as in production: the CLI re-run must match it
    const { id: finishedAudit } = (await (await postAudit(ds.token, { project: slug, spec: spec() })).json()) as { id: string };
    const early = await bundleRoute.GET(new Request(`http://x/api/audits/${finishedAudit}/bundle`, { headers: bearer(reviewer.token) }), params({ id: finishedAudit }));
    expect(early.status).toBe(409); // no report yet
    const worker = spawn(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "worker.ts")], {
      cwd: ROOT,
      env: { ...process.env, ASSAY_JOB_POLL_MS: "100" },
      stdio: "ignore",
    });
    try {
      expect((await waitFor(finishedAudit, ["succeeded", "failed"], 180_000)).status).toBe("succeeded");
    } finally {
      await new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.kill("SIGTERM");
      });
    }
    expect((await bundleRoute.GET(new Request(`http://x/api/audits/${finishedAudit}/bundle`), params({ id: finishedAudit }))).status).toBe(401);
    const res = await bundleRoute.GET(new Request(`http://x/api/audits/${finishedAudit}/bundle`, { headers: bearer(reviewer.token) }), params({ id: finishedAudit }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const zip = new Uint8Array(await res.arrayBuffer());
    const files = await extractZip(zip, 1 << 30);
    expect(files.map((f) => f.name).sort()).toEqual(["audit.yaml", "cps.csv", "model/assay.model.json", "model/model.json", "model/weights.bin", "report.json"]);
    const dir = tempDir("assay-bundle-");
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.name), f.data);
    }
    // paths relative to the bundle
    expect(fs.readFileSync(path.join(dir, "audit.yaml"), "utf8")).toMatch(/path: cps\.csv[\s\S]*path: model\b/);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as Report;
    const again = runCli(["audit", "audit.yaml", "--out", "rerun", "--quiet"], {}, dir);
    expect([0, 1]).toContain(again.code);
    const rerun = JSON.parse(fs.readFileSync(path.join(dir, "rerun", "report.json"), "utf8")) as Report;
    expect(rerun.metrics).toEqual(stored.metrics); // exactly: same seeds, same backend
    expect(stored.metrics.length).toBeGreaterThan(100);
    const verified = runCli(["verify", "report.json", "--quiet"], {}, dir);
    expect(verified.stdout).toMatch(/all \d+ metrics match the re-run exactly/);
    expect(verified.code).toBe(0);
    // a report edited by hand is caught, naming the metric
    const edited = { ...stored, metrics: stored.metrics.map((m) => (m.id === "roc_auc" ? { ...m, value: 0.99 } : m)) };
    fs.writeFileSync(path.join(dir, "edited.json"), JSON.stringify(edited));
    const caught = runCli(["verify", "edited.json", "--quiet", "--bundle", dir], {}, dir);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toMatch(/roc_auc: the report says 0\.99.*the re-run gives 0\.\d+/);
    // the zip itself, from elsewhere
    const elsewhere = tempDir("assay-verify-zip-");
    fs.writeFileSync(path.join(elsewhere, "bundle.zip"), zip);
    fs.copyFileSync(path.join(dir, "report.json"), path.join(elsewhere, "report.json"));
    const fromZip = runCli(["verify", "report.json", "--bundle", "bundle.zip", "--quiet"], {}, elsewhere);
    expect([fromZip.code, fromZip.stdout]).toEqual([0, expect.stringMatching(/all \d+ metrics match/)]);
    // a dataset that is not the audited one stops before any re-run (exit 2)
    fs.appendFileSync(path.join(dir, "cps.csv"), fs.readFileSync(path.join(dir, "cps.csv"), "utf8").split("\n")[1] + "\n");
    const changed = runCli(["verify", "report.json", "--quiet"], {}, dir);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/the dataset cps\.csv is not the one the report was made from/);
  });

  it("refuses an audit over the evaluation budget (422) and a user's audits past the queue cap (429)", async () => {
    const withEnv = async (vars: Record<string, string>, fn: () => Promise<void>) => {
      Object.assign(process.env, vars);
      resetEnvCache();
      try {
        await fn();
      } finally {
        for (const k of Object.keys(vars)) delete process.env[k];
        resetEnvCache();
      }
    };
    await withEnv({ ASSAY_MAX_AUDIT_EVALUATIONS: "100000" }, async () => {
      const res = await postAudit(ds.token, { project: slug, spec: spec() });
      expect(res.status).toBe(422);
      const err = ((await res.json()) as { error: { message: string; field: string } }).error;
      expect(err.field).toBe("analyses");
      expect(err.message).toMatch(/model evaluations \(mostly KernelSHAP: 20 rows × .*\), more than the limit of 1\.00e\+5 \(ASSAY_MAX_AUDIT_EVALUATIONS\)/);
    });
    const active = await getDb().audit.count({ where: { createdById: ds.actor.id, status: { in: ["queued", "running"] } } });
    await withEnv({ ASSAY_MAX_QUEUED_PER_USER: String(active + 1) }, async () => {
      const first = await postAudit(ds.token, { project: slug, spec: spec() });
      expect(first.status).toBe(201);
      const second = await postAudit(ds.token, { project: slug, spec: spec() });
      expect(second.status).toBe(429);
      expect(((await second.json()) as { error: { message: string } }).error.message).toBe(
        `you already have ${active + 1} audits queued or running (limit ${active + 1}, ASSAY_MAX_QUEUED_PER_USER); wait for some to finish or cancel them`,
      );
      const { id } = (await first.json()) as { id: string };
      await getDb().audit.update({ where: { id }, data: { status: "cancelled" } });
    });
  });

  it("rejects a spec that points outside the project's stored files", async () => {
    const res = await postAudit(ds.token, { project: slug, spec: { ...spec(), dataset: { ...spec().dataset, path: "/etc/passwd" } } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("dataset.path");
  });

  it("cancels a queued audit at once and a running one at its next progress step", async () => {
    const queued = (await (await postAudit(ds.token, { project: slug, spec: spec() })).json()) as { id: string };
    const c1 = await cancelRoute.POST(new Request("http://x", { method: "POST", headers: bearer(ds.token) }), params({ id: queued.id }));
    expect(await c1.json()).toEqual({ status: "cancelled" });
    expect((await getDb().audit.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("cancelled");

    const running = (await (await postAudit(ds.token, { project: slug, spec: { ...spec(), analyses: { ...spec().analyses, shap: { rows: 400 } } } })).json()) as { id: string };
    const worker = startWorker({ pollMs: 50 });
    await waitFor(running.id, ["running"]);
    const c2 = await cancelRoute.POST(new Request("http://x", { method: "POST", headers: bearer(ds.token) }), params({ id: running.id }));
    expect(await c2.json()).toEqual({ status: "cancelling" });
    const end = await waitFor(running.id, ["cancelled", "succeeded", "failed"]);
    await worker.stop();
    expect(end.status).toBe("cancelled");
    expect(end.report).toBeNull();
  });

  it("gives a crashed worker's audit to another worker when its lease expires", async () => {
    const { id } = (await (await postAudit(ds.token, { project: slug, spec: { ...spec(), analyses: { performance: {} }, policy: [] } })).json()) as { id: string };
    const queue = createDbQueue();
    const first = await queue.claim("crashed-worker", 300); // claims, then "crashes": never renews
    expect(first?.payload.auditId).toBe(id);
    expect(await queue.claim("other", 300)).toBeNull(); // the lease still holds
    await new Promise((r) => setTimeout(r, 400));
    const second = await queue.claim("rescuer", 60_000);
    expect(second).toEqual({ payload: { auditId: id }, attempt: 2 });
    expect(await handleRunAudit(second!, { queue, workerId: "rescuer", leaseMs: 60_000 })).toBe("succeeded");
    // the crashed worker cannot write over it
    expect(await queue.renew(id, "crashed-worker", 1000)).toBe(false);
    expect((await getDb().audit.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);
  });
});

describe("all or nothing", () => {
  const walk = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];
  const counts = async () => {
    const db = getDb();
    return { projects: await db.project.count(), datasets: await db.dataset.count(), models: await db.model.count(), versions: await db.modelVersion.count(), audits: await db.audit.count() };
  };

  it("a submission that createAudit refuses leaves no project, dataset, model, version or file behind", async () => {
    const before = await counts();
    const files = walk(dataDir()).filter((f) => !f.endsWith("assay.db") && !f.includes("assay.db-"));
    const form = new FormData();
    form.set("project", "Atomic submission");
    // a sensitive attribute the dataset lacks: refused by createAudit, after the uploads
    form.set("spec", `name: Atomic\ndataset: { path: cps.csv, label: wage_above_median, positive: "1" }\nmodel: { path: m }\nsensitive: [gender, no_such_column]\n`);
    form.append("dataset", new File([fs.readFileSync(CPS_CSV)], "cps.csv"));
    for (const f of ["assay.model.json", "model.json", "weights.bin"]) form.append("model", new File([fs.readFileSync(path.join(CPS_V2, f))], f));
    const res = await auditsRoute.POST(new Request("http://x/api/audits", { method: "POST", headers: bearer(ds.token), body: form }), params({}));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/has no column "no_such_column"/);
    expect(await counts()).toEqual(before);
    expect(walk(dataDir()).filter((f) => !f.endsWith("assay.db") && !f.includes("assay.db-")).sort()).toEqual(files.sort());
  });

  it("says a zip without a model holds no model, and lists what it holds", async () => {
    const zip = await zipOf([
      ["data/numbers.csv", Buffer.from("a,b\n1,2\n")],
      ["notes.txt", Buffer.from("hello")],
    ]);
    const form = new FormData();
    form.set("version", "zip-without-model");
    form.set("datasetId", (await getDb().dataset.findFirstOrThrow({ where: { project: { slug } } })).id);
    form.append("files", new File([new Uint8Array(zip)], "model.zip"));
    const res = await postModel(ds.token, form);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe("no model.json (or .onnx / XGBoost .json) in this zip; it holds data/numbers.csv, notes.txt");
  });

  it("a model upload that fails its check leaves no empty model row", async () => {
    const before = await counts();
    const form = new FormData();
    form.set("version", "broken");
    form.set("model", "A brand-new model");
    form.set("datasetId", (await getDb().dataset.findFirstOrThrow({ where: { project: { slug } } })).id);
    form.append("files", new File([fs.readFileSync(path.join(CPS_V2, "model.json"))], "model.json")); // no weights
    const res = await postModel(ds.token, form);
    expect(res.status).toBe(422);
    expect(await counts()).toEqual(before);
    expect(await getDb().model.findFirst({ where: { name: "A brand-new model" } })).toBeNull();
  });
});

describe("request size limits", () => {
  it("answers 413 to a declared 10 GB model upload, dataset or spec before reading the body", async () => {
    let pulled = 0;
    const body = () =>
      new ReadableStream<Uint8Array>(
        {
          pull(c) {
            pulled += 65536;
            c.enqueue(new Uint8Array(65536));
          },
        },
        { highWaterMark: 0 },
      );
    const huge = { "content-length": String(10 * 1024 ** 3) };
    const model = await modelsRoute.POST(
      new Request(`http://x/api/projects/${slug}/models`, { method: "POST", headers: { ...bearer(ds.token), ...huge, "content-type": "multipart/form-data; boundary=x" }, body: body(), duplex: "half" } as RequestInit),
      params({ slug }),
    );
    expect(model.status).toBe(413);
    expect(((await model.json()) as { error: { message: string } }).error.message).toMatch(/^the upload is larger than the limit of [0-9.]+ MB \(ASSAY_MAX_MODEL_BYTES\)$/);
    const dataset = await datasetsRoute.PUT(
      new Request(`http://x/api/projects/${slug}/datasets?name=big.csv`, { method: "PUT", headers: { ...bearer(ds.token), ...huge }, body: body(), duplex: "half" } as RequestInit),
      params({ slug }),
    );
    expect(dataset.status).toBe(413);
    const spec = await auditsRoute.POST(new Request("http://x/api/audits", { method: "POST", headers: { ...bearer(ds.token), ...huge, "content-type": "application/json" }, body: body(), duplex: "half" } as RequestInit), params({}));
    expect(spec.status).toBe(413);
    expect(pulled).toBe(0);
  });
});

describe("the wall-clock limit per audit", () => {
  it("stops an audit that runs longer than ASSAY_MAX_AUDIT_SECONDS, saying so", async () => {
    const { id } = (await (await postAudit(ds.token, { project: slug, spec: { name: "Long audit", dataset: { path: datasetPath, label: "wage_above_median", positive: "1" }, model: { path: modelPath }, sensitive: ["gender"], analyses: { performance: {}, shap: { rows: 400 } } } })).json()) as { id: string };
    const queue = createDbQueue();
    const job = await queue.claim("limited", 60_000);
    expect(job?.payload.auditId).toBe(id);
    // a limit far below the audit's run time (whatever the machine's speed): it stops at its next progress step
    expect(await handleRunAudit(job!, { queue, workerId: "limited", leaseMs: 60_000, maxSeconds: 0.001 })).toBe("failed");
    const a = await getDb().audit.findUniqueOrThrow({ where: { id } });
    expect(a.status).toBe("failed");
    expect(a.error).toBe("the audit ran longer than 0.001 s (ASSAY_MAX_AUDIT_SECONDS) and was stopped; lower its budgets (rows, samples, steps, queries) or raise the limit");
    expect(a.report).toBeNull();
  });
});

describe("permissions on every mutating endpoint", () => {
  const form = () => {
    const f = new FormData();
    f.set("version", "vx");
    f.set("datasetId", "x");
    return f;
  };
  const cases: Array<[string, (token: string | null) => Promise<Response>]> = [
    ["PUT /api/projects/:slug/datasets", (t) => putDataset(t, "x.csv", Buffer.from("a,b\n1,2\n"))],
    ["POST /api/projects/:slug/models", (t) => postModel(t, form())],
    [
      "POST /api/projects/:slug/models/describe",
      (t) => describeRoute.POST(new Request(`http://x/api/projects/${slug}/models/describe`, { method: "POST", headers: t ? bearer(t) : {}, body: form() }), params({ slug })),
    ],
    ["POST /api/audits", (t) => postAudit(t, { project: "x", spec: {} })],
    ["POST /api/audits/:id/cancel", (t) => cancelRoute.POST(new Request("http://x", { method: "POST", headers: t ? bearer(t) : {} }), params({ id: "x" }))],
  ];
  it.each(cases)("%s: 401 for anonymous callers, 403 for a reviewer", async (_name, call) => {
    expect((await call(null)).status).toBe(401);
    expect((await call("assay_not-a-real-token")).status).toBe(401);
    const forbidden = await call(reviewer.token);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  });

  it("answers a bad ?take= on GET /api/audits with a 422 naming the parameter, and honours a good one", async () => {
    const get = (q: string) => auditsRoute.GET(new Request(`http://x/api/audits${q}`, { headers: bearer(reviewer.token) }), params({}));
    for (const q of ["?take=x", "?take=0", "?take=2.5", "?take=100000"]) {
      const res = await get(q);
      expect({ q, status: res.status }).toEqual({ q, status: 422 });
      expect((await res.json()) as unknown).toEqual({ error: { code: "INVALID_INPUT", message: "take must be a whole number from 1 to 500", field: "take" } });
    }
    const all = (await (await get("")).json()) as { audits: unknown[] };
    expect(all.audits.length).toBeGreaterThan(1);
    const nope = await get("?project=nope");
    expect(nope.status).toBe(404);
    expect((await nope.json()) as unknown).toEqual({ error: { code: "NOT_FOUND", message: 'no project "nope"' } });
    expect((await get(`?project=${slug}`)).status).toBe(200);
    const one = await get("?take=1");
    expect(one.status).toBe(200);
    expect(((await one.json()) as { audits: unknown[] }).audits).toHaveLength(1);
  });

  it("lets a reviewer read (GET) but not a revoked token", async () => {
    const list = await auditsRoute.GET(new Request("http://x/api/audits", { headers: bearer(reviewer.token) }), params({}));
    expect(list.status).toBe(200);
    const t = await getDb().apiToken.findFirstOrThrow({ where: { userId: reviewer.actor.id } });
    await getDb().apiToken.update({ where: { id: t.id }, data: { revokedAt: new Date() } });
    expect((await auditsRoute.GET(new Request("http://x/api/audits", { headers: bearer(reviewer.token) }), params({}))).status).toBe(401);
  });
});
