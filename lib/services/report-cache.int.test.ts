// The parsed-report cache: one database read per finished report, and a report written again
// (a new finish time) is never served stale.

import { closeDb, getDb } from "../db/client";
import { ensureDatabase } from "../db/ensure";
import { writeAuditReport } from "../db/report-column";
import { clearReportCache, storedReport, storedReportCompact, storedReportJson } from "./report-cache";

afterAll(async () => {
  await closeDb();
});

describe("report cache", () => {
  it("reads a report once, returns the same object after, and re-reads when the audit finished again", async () => {
    ensureDatabase();
    const db = getDb();
    clearReportCache();
    const first = new Date("2026-12-01T10:00:00Z");
    const a = await db.audit.create({ data: { name: "cache", spec: {}, status: "succeeded", createdBy: "t@x", finishedAt: first } });
    await db.$transaction((tx) => writeAuditReport(tx, a.id, { id: "r1", value: 0.1 + 0.2 } as never));
    const reads = jest.spyOn(db.audit, "findUnique");
    const r1 = await storedReport(a.id, first);
    expect(r1).toEqual({ id: "r1", value: 0.30000000000000004 });
    expect(await storedReport(a.id, first)).toBe(r1);
    expect(JSON.parse((await storedReportJson(a.id, first))!)).toEqual(r1);
    expect(await storedReportCompact(a.id, first)).toBe('{"id":"r1","value":0.30000000000000004}');
    expect(reads).toHaveBeenCalledTimes(1);
    // written again with a new finish time: the cache key changes and the new report is read
    const second = new Date("2026-12-01T11:00:00Z");
    await db.$transaction((tx) => writeAuditReport(tx, a.id, { id: "r2" } as never));
    await db.audit.update({ where: { id: a.id }, data: { finishedAt: second } });
    expect(await storedReport(a.id, second)).toEqual({ id: "r2" });
    expect(reads).toHaveBeenCalledTimes(2);
    expect(await storedReport("no-such-audit", null)).toBeNull();
    reads.mockRestore();
  });
});
