// Review and sign-off, the audit trail and token expiry, through the services and the REST routes:
// every transition and every role (four eyes for admins too), rationale required, the freeze, a
// race between two reviewers, the hash chain against tampering (rows edited and deleted in the
// database directly), report-hash lookup.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadFixture } from "../lib/views/testing/fixtures";
import { ROOT } from "./helpers/shared";
import { closeDb, getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { writeAuditReport } from "../lib/db/report-column";
import { AppError } from "../lib/errors";
import { lookupReportHash, myReviews, reviewAudit } from "../lib/services/review";
import { eventHash, eventsCsv, listEvents, recordEvent, verifyEventChain } from "../lib/services/events";
import { actorFromToken, createApiToken } from "../lib/services/api-tokens";
import * as reviewRoute from "../app/api/audits/[id]/review/route";
import * as auditRoute from "../app/api/audits/[id]/route";
import * as verifyRoute from "../app/api/verify/[sha256]/route";
import * as eventsRoute from "../app/api/events/route";
import * as tokensRoute from "../app/api/tokens/route";
import { refusal } from "./helpers/refusal";
import { bearer, makeUser, type TestUser } from "./helpers/users";

// an independent canonical JSON (keys sorted by a replacer, not lib/report/hash.ts's walker)
function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]])) : x));
}
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

let ds: TestUser; // data scientist who starts audits
let ds2: TestUser; // a second data scientist
let rev: TestUser;
let rev2: TestUser;
let admin: TestUser;
let admin2: TestUser;

const params = <P,>(p: P) => ({ params: Promise.resolve(p) });

async function finishedAudit(by: TestUser, report: Record<string, unknown> = { id: `r-${Math.random()}`, value: 0.1 + 0.2, nested: { b: 1, a: [1, 2] } }) {
  const a = await getDb().audit.create({ data: { name: "Reviewed audit", spec: {}, status: "succeeded", createdBy: by.actor.email, createdById: by.actor.id, finishedAt: new Date() } });
  await getDb().$transaction((tx) => writeAuditReport(tx, a.id, report));
  return { id: a.id, report };
}


beforeAll(async () => {
  ensureDatabase();
  [ds, ds2, rev, rev2, admin, admin2] = await Promise.all([makeUser("data_scientist"), makeUser("data_scientist"), makeUser("reviewer"), makeUser("reviewer"), makeUser("admin"), makeUser("admin")]);
});

afterAll(async () => {
  await closeDb();
});

describe("review workflow", () => {
  it("draft → in_review → approved, recording who, role, rationale, conditions and the report's hash", async () => {
    const { id, report } = await finishedAudit(ds);
    const submitted = await reviewAudit(ds.actor, id, { action: "submit", note: "ready", reviewer: rev.actor.email });
    expect(submitted.state).toBe("in_review");
    expect(submitted.reviewer?.email).toBe(rev.actor.email);
    const approved = await reviewAudit(rev.actor, id, { action: "approve", note: "Fairness within policy; explanations plausible.", conditions: "re-audit within 90 days" });
    expect(approved.state).toBe("approved");
    expect(approved.decisions.map((d) => [d.action, d.fromState, d.toState, d.actorEmail, d.actorRole])).toEqual([
      ["submit", "draft", "in_review", ds.actor.email, "data_scientist"],
      ["approve", "in_review", "approved", rev.actor.email, "reviewer"],
    ]);
    const d = approved.decision!;
    expect(d.note).toBe("Fairness within policy; explanations plausible.");
    expect(d.conditions).toBe("re-audit within 90 days");
    expect(d.actorRoleLabel).toBe("Reviewer");
    // the hash is SHA-256 of the canonical report JSON, computed independently
    expect(d.reportSha256).toBe(sha(sortedJson(report)));
    expect(approved.reportSha256).toBe(d.reportSha256);
  });

  it("refuses by role: reviewers cannot submit, data scientists cannot decide (403 with a message)", async () => {
    const { id } = await finishedAudit(ds);
    expect(await refusal(reviewAudit(rev.actor, id, { action: "submit" }))).toEqual({ code: "FORBIDDEN", message: "Reviewers may not submit audits for review" });
    await reviewAudit(ds.actor, id, { action: "submit" });
    for (const action of ["approve", "reject", "request_changes"] as const) {
      expect((await refusal(reviewAudit(ds2.actor, id, { action, note: "looks fine to me" }))).code).toBe("FORBIDDEN");
    }
  });

  it("four eyes: whoever started or submitted an audit can never decide it, admins included", async () => {
    // an admin starts and submits: neither they nor… only a second person may decide
    const a1 = await finishedAudit(admin);
    await reviewAudit(admin.actor, a1.id, { action: "submit" });
    for (const action of ["approve", "reject", "request_changes"] as const) {
      const r = await refusal(reviewAudit(admin.actor, a1.id, { action, note: "self-approval attempt" }));
      expect(r).toEqual({ code: "FORBIDDEN", message: "you started this audit: a second person must review it (four-eyes rule)" });
    }
    expect((await reviewAudit(admin2.actor, a1.id, { action: "approve", note: "second admin approves" })).state).toBe("approved");

    // a data scientist starts, an admin submits: the submitting admin may not decide
    const a2 = await finishedAudit(ds);
    await reviewAudit(admin.actor, a2.id, { action: "submit" });
    expect(await refusal(reviewAudit(admin.actor, a2.id, { action: "approve", note: "approving what I submitted" }))).toEqual({
      code: "FORBIDDEN",
      message: "you submitted this audit for review: a second person must decide (four-eyes rule)",
    });
    // an audit started by an email only (CLI --save, no user id) is matched by email
    const a3 = await getDb().audit.create({ data: { name: "cli", spec: {}, status: "succeeded", createdBy: rev.actor.email.toUpperCase(), finishedAt: new Date() } });
    await getDb().$transaction((tx) => writeAuditReport(tx, a3.id, { id: "cli" }));
    await reviewAudit(ds.actor, a3.id, { action: "submit" });
    expect((await refusal(reviewAudit(rev.actor, a3.id, { action: "approve", note: "my own CLI run" }))).code).toBe("FORBIDDEN");
    // naming the starter as the reviewer is refused too
    const a4 = await finishedAudit(ds);
    expect((await refusal(reviewAudit(ds2.actor, a4.id, { action: "submit", reviewer: ds.actor.email }))).message).toMatch(/data scientist and may not decide reviews/);
    const a5 = await finishedAudit(admin);
    expect((await refusal(reviewAudit(ds.actor, a5.id, { action: "submit", reviewer: admin.actor.email }))).message).toMatch(/four-eyes/);
  });

  it("requires a rationale for every decision and allows only the transitions of the workflow", async () => {
    const { id } = await finishedAudit(ds);
    expect(await refusal(reviewAudit(rev.actor, id, { action: "approve", note: "ok" }))).toMatchObject({ code: "INVALID_INPUT" });
    expect((await refusal(reviewAudit(rev.actor, id, { action: "approve", note: "a good reason" }))).code).toBe("CONFLICT"); // draft: not submitted
    await reviewAudit(ds.actor, id, { action: "submit" });
    expect((await refusal(reviewAudit(ds.actor, id, { action: "submit" }))).code).toBe("CONFLICT"); // already in review
    expect(await refusal(reviewAudit(rev.actor, id, { action: "reject", note: "   " }))).toMatchObject({ code: "INVALID_INPUT" });
    expect((await reviewAudit(rev.actor, id, { action: "request_changes", note: "state the intended use" })).state).toBe("changes_requested");
    expect((await reviewAudit(ds.actor, id, { action: "submit", note: "intended use added in the re-run's notes" })).state).toBe("in_review");
    expect((await reviewAudit(rev2.actor, id, { action: "reject", note: "impact ratio below 0.8 for women" })).state).toBe("rejected");
    for (const action of ["submit", "approve", "reject", "request_changes"] as const) {
      expect((await refusal(reviewAudit(action === "submit" ? ds.actor : rev.actor, id, { action, note: "after the end" }))).code).toBe("CONFLICT");
    }
    // a failed or running audit cannot be reviewed
    const failed = await getDb().audit.create({ data: { name: "failed", spec: {}, status: "failed", createdBy: ds.actor.email, createdById: ds.actor.id } });
    expect((await refusal(reviewAudit(ds.actor, failed.id, { action: "submit" }))).message).toMatch(/only a finished audit/);
  });

  it("two reviewers deciding at once: exactly one wins, the other gets 409", async () => {
    const { id } = await finishedAudit(ds);
    await reviewAudit(ds.actor, id, { action: "submit" });
    const results = await Promise.allSettled([reviewAudit(rev.actor, id, { action: "approve", note: "approve it" }), reviewAudit(rev2.actor, id, { action: "reject", note: "reject it" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AppError).code).toBe("CONFLICT");
    expect(await getDb().reviewDecision.count({ where: { auditId: id, action: { in: ["approve", "reject"] } } })).toBe(1);
  });

  it("freezes an approved audit: its report cannot be written again", async () => {
    const { id, report } = await finishedAudit(ds);
    await reviewAudit(ds.actor, id, { action: "submit" });
    await reviewAudit(rev.actor, id, { action: "approve", note: "approved for the freeze test" });
    const written = await getDb().$transaction((tx) => writeAuditReport(tx, id, { ...report, value: 1 }));
    expect(written).toBe(0);
    const stored = await getDb().audit.findUniqueOrThrow({ where: { id } });
    expect(stored.report).toEqual(report);
    expect(stored.reportSha256).toBe(sha(sortedJson(report)));
  });

  it("My reviews lists audits waiting for the signed-in reviewer, never their own", async () => {
    const asked = await finishedAudit(ds);
    const open = await finishedAudit(ds);
    const other = await finishedAudit(ds);
    const mine = await finishedAudit(admin);
    await reviewAudit(ds.actor, asked.id, { action: "submit", reviewer: rev2.actor.email });
    await reviewAudit(ds.actor, open.id, { action: "submit" });
    await reviewAudit(ds.actor, other.id, { action: "submit", reviewer: rev.actor.id });
    await reviewAudit(admin.actor, mine.id, { action: "submit" });
    const forRev2 = (await myReviews(rev2.actor)).map((r) => r.id);
    expect(forRev2).toContain(asked.id);
    expect(forRev2).toContain(open.id);
    expect(forRev2).not.toContain(other.id); // asked of someone else
    expect(forRev2.indexOf(asked.id)).toBeLessThan(forRev2.indexOf(open.id)); // asked of me first
    expect((await myReviews(admin.actor)).map((r) => r.id)).not.toContain(mine.id);
    expect((await refusal(myReviews(ds.actor))).code).toBe("FORBIDDEN");
  });

  it("finds the audit of a report hash, its state and approver", async () => {
    const { id, report } = await finishedAudit(ds);
    await reviewAudit(ds.actor, id, { action: "submit" });
    await reviewAudit(rev.actor, id, { action: "approve", note: "approved for lookup", conditions: "annual re-audit" });
    const hash = sha(sortedJson(report));
    const found = await lookupReportHash(rev.actor, hash.toUpperCase());
    expect(found.audits).toEqual([expect.objectContaining({ id, state: "approved", stateLabel: "Approved", approvedHashMatches: true, approvedBy: expect.objectContaining({ role: "Reviewer", conditions: "annual re-audit" }) })]);
    expect((await lookupReportHash(rev.actor, "0".repeat(64))).audits).toEqual([]);
    expect((await refusal(lookupReportHash(rev.actor, "abc"))).code).toBe("INVALID_INPUT");
  });
});

describe("REST", () => {
  it("POST /api/audits/:id/review: 403 with a message for four eyes, 422 without rationale, 200 with the review; GET /api/audits/:id includes it", async () => {
    const { id } = await finishedAudit(admin);
    const post = (t: TestUser, body: unknown) => reviewRoute.POST(new Request(`http://x/api/audits/${id}/review`, { method: "POST", headers: { ...bearer(t.token), "content-type": "application/json" }, body: JSON.stringify(body) }), params({ id }));
    expect((await post(admin, { action: "submit", note: "please review" })).status).toBe(200);
    expect((await post(ds, { action: "approve", note: "not my role" })).status).toBe(403);
    const self = await post(admin, { action: "approve", note: "self" });
    expect(self.status).toBe(403);
    expect(((await self.json()) as { error: { message: string } }).error.message).toMatch(/four-eyes/);
    expect((await post(rev, { action: "approve" })).status).toBe(422);
    expect((await post(rev, { action: "bless", note: "x" })).status).toBe(422);
    const ok = await post(rev, { action: "approve", note: "looks right" });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { state: string }).state).toBe("approved");
    const status = (await (await auditRoute.GET(new Request(`http://x/api/audits/${id}`, { headers: bearer(rev.token) }), params({ id }))).json()) as { review: { state: string; decisions: Array<{ action: string; actorEmail: string }> } };
    expect(status.review.state).toBe("approved");
    expect(status.review.decisions.map((d) => [d.action, d.actorEmail])).toEqual([
      ["submit", admin.actor.email],
      ["approve", rev.actor.email],
    ]);
    const hash = (await getDb().audit.findUniqueOrThrow({ where: { id } })).reportSha256!;
    const v = (await (await verifyRoute.GET(new Request(`http://x/api/verify/${hash}`, { headers: bearer(ds.token) }), params({ sha256: hash }))).json()) as { audits: Array<{ id: string; state: string }> };
    expect(v.audits.map((a) => [a.id, a.state])).toEqual([[id, "approved"]]);
  });

  it("POST /api/tokens makes a token from a session only; an expired token gets 401", async () => {
    const viaToken = await tokensRoute.POST(new Request("http://x/api/tokens", { method: "POST", headers: { ...bearer(ds.token), "content-type": "application/json" }, body: JSON.stringify({ name: "ci" }) }), params({}));
    expect(viaToken.status).toBe(403);
    const { token, expiresAt } = await createApiToken(ds.actor, { name: "short", expiresInDays: 1 });
    expect(Date.parse(expiresAt!) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    expect(await actorFromToken(token)).toMatchObject({ id: ds.actor.id });
    await getDb().apiToken.updateMany({ where: { tokenHash: createHash("sha256").update(token).digest("hex") }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await actorFromToken(token)).toBeNull();
    const res = await auditRoute.GET(new Request("http://x/api/audits/x", { headers: bearer(token) }), params({ id: "x" }));
    expect(res.status).toBe(401);
    expect((await refusal(createApiToken(ds.actor, { name: "bad", expiresInDays: 0 }))).code).toBe("INVALID_INPUT");
  });
});

describe("the PDF", () => {
  it("fills the sign-off page, the cover's review line and the appendix from the decision; an unreviewed one says so", async () => {
    const report = loadFixture("cps-v1") as unknown as Record<string, unknown>;
    const { id } = await finishedAudit(ds, report);
    await getDb().comment.create({ data: { auditId: id, userId: rev.actor.id, body: "Why is the gender gap larger at low scores?" } });
    // @react-pdf/renderer is ESM, which jest's module loader does not run: the route handler is
    // called in a child process (same data dir), as the app would call it
    const pdfText = async () => {
      const file = path.join(os.tmpdir(), `assay-review-${id}-${Date.now()}.pdf`);
      const script = `
        const route = require(${JSON.stringify(path.join(ROOT, "app/api/audits/[id]/pdf/route.ts"))});
        route.GET(new Request("http://x/api/audits/${id}/pdf", { headers: { authorization: "Bearer ${rev.token}" } }), { params: Promise.resolve({ id: "${id}" }) })
          .then(async (res) => { if (res.status !== 200) { console.error(res.status, await res.text()); process.exit(1); } require("node:fs").writeFileSync(${JSON.stringify(file)}, Buffer.from(await res.arrayBuffer())); process.exit(0); });
      `;
      execFileSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "-e", script], { cwd: ROOT, env: process.env, stdio: ["ignore", "ignore", "inherit"] });
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
      const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
      return { text, flat: text.replace(/\s+/g, ""), info, file };
    };
    const before = await pdfText();
    expect(before.text).toContain("NOT REVIEWED");
    expect(before.text).toContain("no reviewer has approved this report in Assay");
    expect(before.text).toContain("Not reviewed: no decision on this report");

    await reviewAudit(ds.actor, id, { action: "submit", note: "CPS v1 for sign-off" });
    await reviewAudit(rev.actor, id, { action: "approve", note: "Impact ratios documented; intended use stated.", conditions: "re-audit within 90 days" });
    const hash = sha(sortedJson(report));
    const after = await pdfText();
    const first = after.text.split("\f")[0]!;
    expect(first).toContain("APPROVED");
    expect(first).toContain(`by ${rev.actor.name} (Reviewer)`);
    expect(after.text).toContain("Reviewed and decided by (recorded in Assay)");
    expect(after.text).toContain(`${rev.actor.name} (${rev.actor.email})`);
    expect(after.text).toContain("Impact ratios documented; intended use stated.");
    expect(after.text).toContain("re-audit within 90 days");
    expect(after.flat).toContain(hash); // the decision's report hash, equal to the cover's
    expect(after.text).toContain("A.6 Review history and comments");
    expect(after.text).toContain("Why is the gender gap larger at low scores?");
    expect(after.text).toContain("CPS v1 for sign-off");
    // the report's hash is in the document's metadata, for /verify to read from the file
    expect(after.info).toContain(`assay-report-sha256:${hash}`);
    fs.mkdirSync(path.join(ROOT, "artifacts", "pdf"), { recursive: true });
    spawnSync("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "1", after.file, path.join(ROOT, "artifacts", "pdf", "approved-cover")]);
  });
});

describe("audit trail", () => {
  it("records review steps, comments and token changes with actor, target and summary; readable by reviewers and admins only", async () => {
    const { id } = await finishedAudit(ds);
    await reviewAudit(ds.actor, id, { action: "submit" });
    await reviewAudit(rev.actor, id, { action: "request_changes", note: "add the purpose" });
    const events = await listEvents(admin.actor, { target: `audit:${id}` });
    expect(events.map((e) => [e.action, e.actorEmail])).toEqual([
      ["review_request_changes", rev.actor.email],
      ["review_submit", ds.actor.email],
    ]);
    expect(events[0]!.summary).toMatch(/^In review → Changes requested; “add the purpose”; report [0-9a-f]{16}…$/);
    expect((await refusal(listEvents(ds.actor, {}))).code).toBe("FORBIDDEN");
    const res = await eventsRoute.GET(new Request(`http://x/api/events?target=audit:${id}&format=csv`, { headers: bearer(rev.token) }), params({}));
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv.split("\n")[0]).toBe("seq,time,actor,action,target_type,target_id,project_id,summary,prev_hash,hash");
    expect(csv.trim().split("\n")).toHaveLength(3);
    expect((await eventsRoute.GET(new Request("http://x/api/events", { headers: bearer(ds.token) }), params({}))).status).toBe(403);
    // a formula in a summary is neutralised in the CSV
    expect(eventsCsv([{ ...events[0]!, summary: "=HYPERLINK(\"x\")" }])).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("the hash chain: verifies, and names the first event edited or deleted in the database", async () => {
    const e1 = await recordEvent({ actor: admin.actor, action: "user_update", target: { type: "user", id: "u1" }, summary: "role Reviewer → Admin" });
    const e2 = await recordEvent({ actor: admin.actor, action: "user_update", target: { type: "user", id: "u2" }, summary: "disabled" });
    // each event's hash covers the previous one's (independent recomputation of e2's link)
    expect(e2.prevHash).toBe(e1.hash);
    expect(e2.seq).toBe(e1.seq + 1);
    const ok = await verifyEventChain();
    expect(ok).toMatchObject({ ok: true, head: (await getDb().event.findFirstOrThrow({ orderBy: { seq: "desc" } })).hash });
    expect(ok.count).toBe(await getDb().event.count());

    // edit a summary in the database: the check names that event
    await getDb().$executeRaw`UPDATE "Event" SET "summary" = 'role Reviewer → Reviewer' WHERE "seq" = ${e1.seq}`;
    const edited = await verifyEventChain();
    expect(edited.ok).toBe(false);
    expect(edited.broken).toEqual({ seq: e1.seq, reason: expect.stringMatching(/^event \d+ was changed after it was recorded/) });
    await getDb().$executeRaw`UPDATE "Event" SET "summary" = 'role Reviewer → Admin' WHERE "seq" = ${e1.seq}`;
    expect((await verifyEventChain()).ok).toBe(true);

    // edit a summary and recompute its hash: that row is consistent again, the next event's link breaks
    const forged = eventHash({ ...e1, summary: "nothing" });
    await getDb().$executeRaw`UPDATE "Event" SET "summary" = 'nothing', "hash" = ${forged} WHERE "seq" = ${e1.seq}`;
    expect((await verifyEventChain()).broken).toEqual({ seq: e2.seq, reason: expect.stringMatching(/does not follow event/) });
    await getDb().$executeRaw`UPDATE "Event" SET "summary" = 'role Reviewer → Admin', "hash" = ${e1.hash} WHERE "seq" = ${e1.seq}`;

    // delete an event: the gap is named
    const row = await getDb().event.findUniqueOrThrow({ where: { seq: e1.seq } });
    await getDb().event.delete({ where: { seq: e1.seq } });
    expect((await verifyEventChain()).broken).toEqual({ seq: e1.seq, reason: `event ${e1.seq} is missing (the next stored event is ${e2.seq})` });
    await getDb().event.create({ data: row });
    expect((await verifyEventChain()).ok).toBe(true);
  });

  it("processes appending at the same time never fork the chain", async () => {
    const before = await getDb().event.count();
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordEvent({ actor: null, action: "audit_finish", target: { type: "audit", id: `race-${i}` }, summary: "running → succeeded" })));
    expect(await getDb().event.count()).toBe(before + 20);
    expect(await verifyEventChain()).toMatchObject({ ok: true, count: before + 20 });
  });
});
