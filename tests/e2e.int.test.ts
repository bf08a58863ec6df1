// End to end in Debian's Chromium (playwright-core): a data scientist signs in, creates a
// project, uploads the CPS dataset and a model, runs an audit and watches its progress reach
// 100%, opens every dashboard tab, compares the demo's v1 and v2, signs out; a reviewer is
// refused the upload page. Screenshots of every page go to artifacts/e2e/ (look at them).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { closeDb } from "../lib/db/client";
import { seedDemo } from "../scripts/seed-demo";
import { makeUser, type TestUser } from "./helpers/users";
import { startApp, type RunningApp } from "./helpers/server";
import { ROOT, sharedDataset } from "./helpers/shared";

const SHOTS = path.join(ROOT, "artifacts", "e2e");
const CPS = path.join(ROOT, "audits/examples/cps-wages");

let app: RunningApp;
/** Console messages of Content Security Policy violations seen while a data scientist works. */
const cspViolations: string[] = [];
let browser: Browser;
let scientist: TestUser;
let reviewer: TestUser;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, user: TestUser) {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email").fill(user.actor.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${app.url}/`);
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await seedDemo();
  scientist = await makeUser("data_scientist", "scientist@e2e.test");
  reviewer = await makeUser("reviewer", "reviewer@e2e.test");
  app = await startApp({ worker: true });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await closeDb();
});

describe("a data scientist's day", () => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });

  it("signs in and creates a project", async () => {
    const first = await page.goto(app.url);
    await page.waitForURL(/\/sign-in/);
    // security headers on every page (the rest of this file shows the app works under its CSP)
    const headers = first!.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-powered-by"]).toBeUndefined();
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await shot(page, "01-sign-in");
    await signIn(page, scientist);
    await shot(page, "02-projects");
    await page.getByRole("link", { name: "New project" }).click();
    await page.getByLabel("Name").fill("Wage screen");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${app.url}/projects/wage-screen`);
    await shot(page, "03-project-empty");
  });

  it("uploads a bad CSV (error with its line), then the CPS dataset, and sets its defaults", async () => {
    await page.getByRole("link", { name: "Upload dataset" }).click();
    await page.locator('input[type="file"]').setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n3\n") });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.getByText(/line 3: this row has 1 field, the header has 2/).waitFor();
    await shot(page, "04-upload-error");
    await page.locator('input[type="file"]').setInputFiles(path.join(CPS, "cps-wages-1985.csv"));
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/datasets\/[a-z0-9]+$/);
    await page.getByRole("heading", { name: "Group sizes" }).waitFor();
    await page.getByLabel("Label (the outcome)").selectOption("wage_above_median");
    await page.getByLabel("Positive value (the favourable or predicted outcome)").selectOption("1");
    await page.getByRole("group", { name: "Sensitive attributes" }).getByLabel("gender").check();
    await page.getByRole("group", { name: "Sensitive attributes" }).getByLabel("race").check();
    await page.getByRole("button", { name: "Save defaults" }).click();
    await page.getByText("Saved.").waitFor();
    await shot(page, "05-dataset");
  });

  it("adds a model version from its files, checked on the dataset", async () => {
    await page.goto(`${app.url}/projects/wage-screen/models/new`);
    await page.getByLabel("Version").fill("v2");
    await page.locator('input[type="file"][name="files"]').setInputFiles(["model.json", "weights.bin", "assay.model.json"].map((f) => path.join(CPS, "models", "v2", f)));
    await shot(page, "06-model-upload");
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(`${app.url}/projects/wage-screen`);
    await page.getByRole("cell", { name: "TensorFlow.js · gradients" }).waitFor();
  });

  it("starts an audit and watches its progress reach 100%", async () => {
    await page.getByRole("link", { name: "New audit" }).click();
    await page.getByRole("button", { name: "Start audit" }).waitFor();
    await shot(page, "07-new-audit");
    await page.getByRole("button", { name: "Start audit" }).click();
    await page.waitForURL(/\/audits\/[a-z0-9]+$/);
    const bar = page.getByRole("progressbar", { name: "Audit progress" });
    await bar.waitFor({ timeout: 30_000 });
    // record every value the bar shows, however briefly (the finished state lasts until the page
    // refreshes into the report), with a MutationObserver in the page rather than by polling
    await page.evaluate(() => {
      const w = window as unknown as { __progress: number[] };
      w.__progress = [];
      const record = (el: Element | null) => {
        const v = el?.getAttribute("aria-valuenow");
        if (v !== null && v !== undefined) w.__progress.push(Number(v));
      };
      record(document.querySelector('[role="progressbar"]'));
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === "attributes") record(r.target as Element);
          else r.addedNodes.forEach((n) => n instanceof Element && record(n.matches('[role="progressbar"]') ? n : n.querySelector('[role="progressbar"]')));
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
    });
    await page.waitForTimeout(800);
    await shot(page, "08-audit-running");
    await page.getByRole("tab", { name: "Summary" }).waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    // the bar moved through the audit's phases, never backwards, and ended at 100%
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
    expect(seen[seen.length - 1]).toBe(100);
  });

  it("opens every dashboard tab", async () => {
    // the page itself carries the Summary only; the other tabs are rendered when first opened
    const html = await (await page.request.get(page.url())).text();
    expect(html).toContain("Headline numbers");
    expect(html).not.toContain("What if the threshold moved?");
    for (const name of ["Summary", "Performance", "Fairness", "Explanations", "Robustness"]) {
      await page.getByRole("tab", { name }).click();
      await attributeBecomes(page.getByRole("tab", { name }), "aria-selected", "true");
      await page.waitForTimeout(400);
      await shot(page, `09-tab-${name.toLowerCase()}`);
      if (name === "Fairness") await page.getByText("What if the threshold moved?").waitFor();
    }
  });

  it("moves the threshold slider and saves the audit at the new threshold as a new audit, which runs", async () => {
    const original = page.url();
    await page.getByRole("tab", { name: "Fairness" }).click();
    const slider = page.getByRole("slider").first();
    await slider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
    const chosen = (await page.getByTestId("threshold-value").first().textContent())!.trim();
    expect(Number(chosen)).toBeLessThan(0.5);
    await shot(page, "09b-threshold-moved");
    await page.getByRole("button", { name: `Save as new audit at ${chosen}` }).first().click();
    await page.waitForURL((u) => /\/audits\/[a-z0-9]+$/.test(u.pathname) && u.toString() !== original, { timeout: 30_000 });
    await page.getByRole("heading", { name: /\(threshold [0-9.]+\)/ }).waitFor();
    await page.getByRole("tab", { name: "Summary" }).waitFor({ timeout: 120_000 });
    // the new report's decision rule (in the Summary's "about this audit") uses the chosen threshold
    await page.getByText(`positive when score ≥ ${chosen}`).first().waitFor({ state: "attached" });
    await shot(page, "09c-rerun-at-threshold");
  });

  it("refuses a cross-site request that carries the session cookie (CSRF), and not the app's own", async () => {
    const id = new URL(page.url()).pathname.split("/").pop()!;
    // page.request sends the browser context's cookies, as a forged form post from another site would
    const forged = await page.request.post(`${app.url}/api/audits/${id}/cancel`, { headers: { origin: "https://evil.example" } });
    expect(forged.status()).toBe(403);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(/cross-site request refused/);
    const noOrigin = await page.request.post(`${app.url}/api/audits/${id}/cancel`, { headers: { origin: "null" } });
    expect(noOrigin.status()).toBe(403);
    // from the app itself the request reaches the service, which finds the audit already finished
    const own = await page.request.post(`${app.url}/api/audits/${id}/cancel`, { headers: { origin: app.url } });
    expect(own.status()).toBe(409);
  });

  it("compares the demo's v1 and v2", async () => {
    await page.goto(`${app.url}/projects/cps-wages-demo/compare`);
    await page.getByRole("heading", { name: "Compare versions" }).waitFor();
    await page.waitForTimeout(500);
    await shot(page, "10-compare");
    expect(await page.content()).toContain("v1");
  });

  it("fits every page into a 390 px phone (tables scroll inside their frames) and shows the favicon; screenshots at 1366 and 390 px", async () => {
    const fav = await page.request.get(`${app.url}/favicon.ico`);
    expect(fav.status()).toBe(200);
    expect(fav.headers()["content-type"]).toMatch(/image/);
    const auditId = (await page.request.get(`${app.url}/api/audits?project=cps-wages-demo&take=1`).then((r) => r.json())) as { audits: Array<{ id: string }> };
    const demoAudit = auditId.audits[0]!.id;
    const dataset = await page.request.get(`${app.url}/projects/cps-wages-demo`).then((r) => r.text());
    const datasetPath = /href="(\/projects\/cps-wages-demo\/datasets\/[a-z0-9]+)"/.exec(dataset)?.[1];
    const pages: Array<[string, string]> = [
      ["projects", "/"],
      ["project", "/projects/cps-wages-demo"],
      ...(datasetPath ? ([["dataset", datasetPath]] as Array<[string, string]>) : []),
      ["dataset-new", "/projects/cps-wages-demo/datasets/new"],
      ["model-new", "/projects/cps-wages-demo/models/new"],
      ["audit-new", "/projects/cps-wages-demo/audits/new"],
      ["audit", `/audits/${demoAudit}`],
      ["compare", "/projects/cps-wages-demo/compare"],
      ["audits", "/audits"],
      ["settings", "/settings"],
    ];
    const tooWide: string[] = [];
    for (const [name, url] of pages) {
      for (const width of [1366, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${app.url}${url}`);
        await page.waitForLoadState("networkidle");
        const tabs = name === "audit" ? ["Summary", "Performance", "Fairness", "Explanations", "Robustness"] : [""];
        for (const tab of tabs) {
          if (tab) {
            await page.getByRole("tab", { name: tab }).click();
            await page.waitForTimeout(300);
          }
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > width + 1) {
            // name the outermost elements that stick out, to know what to fix
            const culprits = await page.evaluate((w) => {
              const out: string[] = [];
              for (const el of Array.from(document.querySelectorAll("body *"))) {
                const r = el.getBoundingClientRect();
                // inside a frame that scrolls sideways, sticking out is expected
                let scrolls = false;
                for (let p = el.parentElement; p && !scrolls; p = p.parentElement) scrolls = ["auto", "scroll"].includes(getComputedStyle(p).overflowX);
                if (!scrolls && r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) out.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} (${Math.round(r.right)} px)`);
              }
              return out.slice(0, 4);
            }, width);
            tooWide.push(`${name}${tab ? `/${tab}` : ""} at ${width} px: ${scroll} px wide: ${culprits.join(", ")}`);
          }
          await shot(page, `20-${name}${tab ? `-${tab.toLowerCase()}` : ""}-${width}`);
        }
      }
    }
    await page.setViewportSize({ width: 1360, height: 900 });
    expect(tooWide).toEqual([]);
  });

  it("saw no Content Security Policy violation on any page", () => {
    expect(cspViolations).toEqual([]);
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  });
});

describe("a gradient-boosted model from Python", () => {
  const GBM = path.join(ROOT, "audits/examples/adult-gbm");
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, scientist);
  });
  afterAll(() => page.close());

  it("uploads Adult, then an .onnx alone: the form reads the graph and proposes a manifest, which the user corrects", async () => {
    await page.goto(`${app.url}/projects/new`);
    await page.getByLabel("Name").fill("Income GBM");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(`${app.url}/projects/income-gbm`);
    await page.getByRole("link", { name: "Upload dataset" }).click();
    await page.locator('input[type="file"]').setInputFiles(sharedDataset("adult-test.csv"));
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/datasets\/[a-z0-9]+$/, { timeout: 60_000 });
    await page.getByLabel("Label (the outcome)").selectOption("income");
    await page.getByLabel("Positive value (the favourable or predicted outcome)").selectOption(">50K");
    await page.getByRole("group", { name: "Sensitive attributes" }).getByLabel("sex").check();
    await page.getByRole("group", { name: "Sensitive attributes" }).getByLabel("race").check();
    await page.getByRole("button", { name: "Save defaults" }).click();
    await page.getByText("Saved.").waitFor();

    await page.goto(`${app.url}/projects/income-gbm/models/new`);
    await page.locator('input[type="file"][name="files"]').setInputFiles(path.join(GBM, "models/v1-onnx/model.onnx"));
    const described = page.getByRole("region", { name: "Model and manifest" });
    await described.getByText("ONNX model").waitFor();
    await described.getByText(/operators: ai\.onnx\.ml:TreeEnsembleClassifier/).waitFor();
    // the proposal takes every column but the label: the note says the model expects 47 inputs
    await described.getByText(/the model expects 47 inputs and this proposal encodes \d+/).waitFor();
    await shot(page, "12-model-proposal");
    await page.setViewportSize({ width: 390, height: 900 });
    await shot(page, "12-model-proposal-phone");
    await page.setViewportSize({ width: 1366, height: 900 });
    // the user writes the manifest the model was trained with
    await described.getByLabel(/Manifest/).fill(fs.readFileSync(path.join(GBM, "models/v1-onnx/assay.model.json"), "utf8"));
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(`${app.url}/projects/income-gbm`);
    await page.getByRole("cell", { name: "ONNX · 100 trees, depth ≤ 5 · no gradients" }).waitFor();
    await shot(page, "13-project-gbm");
  });

  it("audits it with exact TreeSHAP and the boundary attack (PGD is not offered), and shows the explanations", async () => {
    await page.getByRole("link", { name: "New audit" }).click();
    await page.getByRole("button", { name: "Start audit" }).waitFor();
    expect(await page.getByLabel("SHAP method").inputValue()).toBe("tree");
    const attacks = await page.getByLabel("Attack").locator("option").allTextContents();
    expect(attacks).toEqual(["Boundary attack (decisions only)", "Random search (decisions only)"]);
    await page.getByLabel("Rows to explain").fill("100");
    await page.getByLabel("Queries per row").fill("100");
    await shot(page, "14-new-audit-gbm");
    await page.setViewportSize({ width: 390, height: 900 });
    await shot(page, "14-new-audit-gbm-phone");
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.getByRole("button", { name: "Start audit" }).click();
    await page.waitForURL(/\/audits\/[a-z0-9]+$/);
    await page.getByRole("tab", { name: "Explanations" }).waitFor({ timeout: 180_000 });
    await page.getByRole("tab", { name: "Explanations" }).click();
    await page.getByText(/exact interventional TreeSHAP/).first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, "15-gbm-explanations");
    await page.getByRole("tab", { name: "Robustness" }).click();
    await page.getByText(/decision-based boundary attack/).first().waitFor();
    await page.waitForTimeout(400);
    await shot(page, "16-gbm-robustness");
    await page.setViewportSize({ width: 390, height: 900 });
    await page.getByRole("tab", { name: "Explanations" }).click();
    await page.waitForTimeout(400);
    await shot(page, "15-gbm-explanations-phone");
  });
});

describe("a pipeline", () => {
  it("submits a spec with `assay submit` and fails on the policy result (exit 1)", async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "assay.js"), "submit", path.join(CPS, "v1.audit.yaml"), "--server", app.url, "--token", scientist.token, "--project", "Wage screen", "--quiet"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 300_000,
    });
    expect(r.stderr).toMatch(/submitted audit [a-z0-9]+/);
    expect(r.status).toBe(1); // v1 fails the gender impact-ratio check
    expect(r.stdout).toMatch(/FAIL impact_ratio \(gender\)/);
    expect(r.stdout).toMatch(/FAILED · 2 of 6 checks failed/);
    // a reviewer's token may not submit
    const refused = spawnSync(process.execPath, [path.join(ROOT, "bin", "assay.js"), "submit", path.join(CPS, "v1.audit.yaml"), "--server", app.url, "--token", reviewer.token], { cwd: ROOT, encoding: "utf8" });
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/403/);
  });
});

describe("a reviewer", () => {
  it("reads the demo but is refused the upload page", async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(page, reviewer);
    await page.goto(`${app.url}/projects/cps-wages-demo`);
    expect(await page.getByRole("link", { name: "Upload dataset" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "New audit" }).count()).toBe(0);
    await page.goto(`${app.url}/projects/cps-wages-demo/datasets/new`);
    await page.waitForURL(/\/forbidden/);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    await shot(page, "11-reviewer-refused");
    await page.close();
  });
});

describe("review and sign-off", () => {
  it("a data scientist submits, a reviewer requests changes, the scientist re-runs and resubmits, the reviewer approves; the PDF, /verify and the trail show it", async () => {
    const sci = await makeUser("data_scientist", "sci-review@e2e.test");
    const rev = await makeUser("reviewer", "rev-review@e2e.test");
    const sciPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    const revPage = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    await signIn(sciPage, sci);
    await signIn(revPage, rev);
    const list = (await (await sciPage.request.get(`${app.url}/api/audits?project=cps-wages-demo`)).json()) as { audits: Array<{ id: string; name: string; status: string }> };
    const first = list.audits.find((a) => a.name === "CPS wages v1" && a.status === "succeeded")!.id;

    // 1. submitted for review, naming the reviewer
    await sciPage.goto(`${app.url}/audits/${first}`);
    await sciPage.getByRole("heading", { name: /^Review/ }).waitFor();
    expect(await sciPage.getByRole("button", { name: "Approve" }).count()).toBe(0); // not a reviewer
    await sciPage.getByRole("combobox", { name: "Reviewer (optional)" }).selectOption({ label: `${rev.actor.name} (${rev.actor.email})` });
    await sciPage.getByLabel("Note to the reviewer (optional)").fill("CPS v1 for sign-off");
    await sciPage.getByRole("button", { name: "Submit for review" }).click();
    await sciPage.getByText(`Waiting for ${rev.actor.name} to decide.`).waitFor();
    await shot(sciPage, "30-review-submitted");

    // 2. the reviewer finds it under My reviews and asks for changes (a rationale is required)
    await revPage.goto(`${app.url}/reviews`);
    await revPage.getByRole("cell", { name: "you" }).first().waitFor();
    await shot(revPage, "31-my-reviews");
    await revPage.getByRole("link", { name: "CPS wages v1" }).first().click();
    await revPage.getByRole("button", { name: "Request changes" }).waitFor();
    await shot(revPage, "32-review-panel");
    await revPage.getByLabel(/^Rationale/).fill("State the intended use and re-run on the same data.");
    await revPage.getByRole("button", { name: "Request changes" }).click();
    await revPage.getByText(/requested changes/).first().waitFor();

    // 3. the scientist re-runs it as a new audit linked to this one, and submits the new one
    await sciPage.reload();
    expect(await sciPage.getByRole("link", { name: "Change the spec, then run" }).getAttribute("href")).toContain(`rerunOf=${first}`);
    await sciPage.getByRole("button", { name: "Re-run as a new audit" }).click();
    await sciPage.waitForURL((u) => /^\/audits\/[a-z0-9]+$/.test(u.pathname) && !u.pathname.endsWith(first), { timeout: 30_000 });
    const second = new URL(sciPage.url()).pathname.split("/").pop()!;
    let state = { status: "queued", error: null as string | null };
    for (const end = Date.now() + 240_000; ["queued", "running"].includes(state.status) && Date.now() < end; ) {
      await sciPage.waitForTimeout(1000);
      state = (await (await sciPage.request.get(`${app.url}/api/audits/${second}`)).json()) as typeof state;
    }
    expect({ status: state.status, error: state.error }).toEqual({ status: "succeeded", error: null });
    await sciPage.reload();
    await sciPage.getByRole("tab", { name: "Summary" }).waitFor({ timeout: 30_000 });
    await sciPage.getByText("whose reviewer asked for changes").waitFor();
    await sciPage.getByRole("button", { name: "Submit for review" }).click();
    await sciPage.getByText("Waiting for a reviewer to decide.").waitFor();

    // 4. the reviewer approves the new audit with conditions; it is frozen
    await revPage.goto(`${app.url}/audits/${second}`);
    await revPage.getByLabel(/^Rationale/).fill("Intended use stated; impact ratios documented.");
    await revPage.getByLabel(/^Conditions/).fill("re-audit within 90 days");
    await revPage.getByRole("button", { name: "Approve" }).click();
    await revPage.getByText(/this audit is frozen/).waitFor();
    expect(await revPage.locator(".badge", { hasText: "Approved" }).count()).toBeGreaterThan(0);
    // the audit's own trail, loaded when opened
    await revPage.getByText("This audit's trail").click();
    await revPage.locator("details.trail").getByRole("cell", { name: "Approved", exact: true }).waitFor();
    await revPage.locator("details.trail").getByRole("cell", { name: "Started audit", exact: true }).waitFor();
    await shot(revPage, "33-approved");
    // the scientist, who started it, is never offered a decision
    await sciPage.reload();
    expect(await sciPage.getByRole("button", { name: "Approve" }).count()).toBe(0);

    // 5. the PDF's cover and sign-off page carry the decision
    const pdf = await revPage.request.get(`${app.url}/api/audits/${second}/pdf`);
    expect(pdf.status()).toBe(200);
    const file = path.join(SHOTS, "approved.pdf");
    fs.writeFileSync(file, await pdf.body());
    const text = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 }).stdout;
    expect(text.split("\f")[0]).toContain("APPROVED");
    expect(text).toContain("Intended use stated; impact ratios documented.");
    expect(text).toContain("re-audit within 90 days");
    expect(text).toContain(`${rev.actor.name} (${rev.actor.email})`);

    // 6. /verify reads the PDF in the browser and names the audit and its approver
    await revPage.goto(`${app.url}/verify`);
    await revPage.locator('input[type="file"]').setInputFiles(file);
    await revPage.waitForURL(/\/verify\?sha256=[0-9a-f]{64}$/);
    await revPage.getByText("The approval was recorded for exactly this report (same SHA-256).").waitFor();
    await shot(revPage, "34-verify");

    // 7. the trail shows every step, and its chain is intact
    await revPage.goto(`${app.url}/settings/activity?target=`);
    await revPage.getByRole("cell", { name: "Approved", exact: true }).first().waitFor();
    await revPage.getByRole("link", { name: "Verify chain" }).click();
    await revPage.getByText("The chain is intact:").waitFor();
    await shot(revPage, "35-activity");
    for (const [name, url] of [
      ["review-panel", `/audits/${second}`],
      ["reviews", "/reviews"],
      ["verify", "/verify"],
      ["activity", "/settings/activity"],
    ] as const) {
      await revPage.setViewportSize({ width: 390, height: 900 });
      await revPage.goto(`${app.url}${url}`);
      await revPage.waitForLoadState("networkidle");
      await shot(revPage, `36-${name}-390`);
      const wide = await revPage.evaluate(() =>
        Array.from(document.querySelectorAll("body *"))
          .filter((el) => {
            let scrolls = false; // inside a frame that scrolls sideways, sticking out is expected
            for (let p = el.parentElement; p && !scrolls; p = p.parentElement) scrolls = ["auto", "scroll"].includes(getComputedStyle(p).overflowX);
            return !scrolls && el.getBoundingClientRect().right > 391 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > 391);
          })
          .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 30)}`)
          .slice(0, 4),
      );
      expect({ name, width: await revPage.evaluate(() => document.documentElement.scrollWidth), wide }).toEqual({ name, width: 390, wide: [] });
    }
    await sciPage.context().close();
    await revPage.context().close();
  });
});

describe("a new user with a one-time password", () => {
  it("is sent to choose a password before any page; the change ends their other session and keeps this one", async () => {
    const admin = await makeUser("admin", "otp-admin@e2e.test");
    const { createUser } = await import("../lib/services/users");
    const created = await createUser(admin.actor, { email: "otp@e2e.test", name: "Otto", role: "reviewer" });
    const other = await (await browser.newContext()).newPage(); // a second session, signed in first
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    for (const p of [other, page]) {
      await p.goto(`${app.url}/sign-in?callbackUrl=/audits`);
      await p.getByLabel("Email").fill("otp@e2e.test");
      await p.getByLabel("Password").fill(created.oneTimePassword);
      await p.getByRole("button", { name: "Sign in", exact: true }).click();
      await p.waitForURL(/\/change-password/);
    }
    await page.goto(`${app.url}/projects/cps-wages-demo`);
    await page.waitForURL(/\/change-password/);
    await page.getByRole("heading", { name: "Choose your password" }).waitFor();
    const api = await page.request.get(`${app.url}/api/audits`);
    expect(api.status()).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    await page.getByLabel("Current password").fill(created.oneTimePassword);
    await page.getByLabel("New password", { exact: true }).fill("otp@e2e.test");
    await page.getByLabel("New password again").fill("otp@e2e.test");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.getByText("not your email address").waitFor();
    await shot(page, "40-change-password");
    // React resets the form once the action has finished: fill it again after that
    await page.waitForFunction(() => (document.querySelector('input[name="current"]') as HTMLInputElement | null)?.value === "");
    // (the error sits in the field's label, so the fields are found by name now)
    await page.locator('input[name="current"]').fill(created.oneTimePassword);
    await page.locator('input[name="next"]').fill("a sentence of my own");
    await page.locator('input[name="confirm"]').fill("a sentence of my own");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/change-password"));
    // this session goes on with the new password
    await page.goto(`${app.url}/audits`);
    await page.getByRole("heading", { name: "Audits" }).waitFor();
    expect((await page.request.get(`${app.url}/api/audits`)).status()).toBe(200);
    // the other session ended
    await other.goto(`${app.url}/audits`);
    await other.waitForURL(/\/sign-in/);
    await other.context().close();
    await page.context().close();
  });
});

describe("a password guesser", () => {
  it("is answered 429 with Retry-After after 5 wrong passwords for one account, and the form says so", async () => {
    const context = await browser.newContext();
    try {
      const api = context.request;
      const csrf = ((await (await api.get(`${app.url}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
      const attempt = (pw: string) =>
        api.post(`${app.url}/api/auth/callback/credentials`, {
          form: { email: scientist.actor.email, password: pw, csrfToken: csrf, json: "true", callbackUrl: app.url },
          headers: { origin: app.url },
          maxRedirects: 0,
        });
      for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status()).not.toBe(429);
      const refused = await attempt(scientist.password); // even the right password waits now
      expect(refused.status()).toBe(429);
      expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(800);
      expect(refused.headers()["set-cookie"] ?? "").not.toContain("session-token=");
      const page = await context.newPage();
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel("Email").fill(scientist.actor.email);
      await page.getByLabel("Password").fill(scientist.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByText("Too many sign-in attempts").waitFor();
      await shot(page, "17-sign-in-throttled");
    } finally {
      await context.close();
    }
  });
});

/** Waits until the locator's attribute has the value (Playwright's auto-retrying assertion). */
async function attributeBecomes(locator: ReturnType<Page["getByRole"]>, name: string, value: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await locator.getAttribute(name)) === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} never became ${value}`);
}
