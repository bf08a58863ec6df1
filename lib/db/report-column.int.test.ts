// A stored report is the engine's report to the last bit: the values below need 17 significant
// digits, which Prisma's own JSON write rounds away (checked first, so this test notices if the
// upstream bug is fixed and the workaround can go).

import { getDb } from "./client";
import { ensureDatabase } from "./ensure";
import { writeAuditReport } from "./report-column";
import { reportSha256 } from "../report/hash";

const report = { metrics: [{ id: "log_loss", value: 0.41702229092957954 }, { id: "tpr", value: 3 / 266, ci: [0.0013415525219721714, 0.10287012436713912] }], tiny: 5e-324, big: 1.7976931348623157e308 };

describe("writeAuditReport", () => {
  let id: string;
  beforeAll(async () => {
    ensureDatabase();
    const db = getDb();
    const p = await db.project.create({ data: { slug: "report-column", name: "report column" } });
    id = (await db.audit.create({ data: { projectId: p.id, name: "a", spec: {}, createdBy: "test", leaseOwner: "w1" } })).id;
  });

  it("Prisma's JSON write rounds 17-digit doubles (the upstream bug worked around)", async () => {
    const db = getDb();
    await db.audit.update({ where: { id }, data: { report } });
    const back = (await db.audit.findUnique({ where: { id } }))!.report as typeof report;
    expect(back.metrics[0]!.value).not.toBe(0.41702229092957954);
    expect(back.metrics[0]!.value).toBeCloseTo(0.41702229092957954, 14);
  });

  it("stores every double exactly, so the report's SHA-256 survives the database", async () => {
    const db = getDb();
    expect(await writeAuditReport(db, id, report)).toBe(1);
    const back = (await db.audit.findUnique({ where: { id } }))!.report;
    expect(back).toEqual(report);
    expect(Object.is((back as typeof report).metrics[1]!.value, 3 / 266)).toBe(true);
    expect(reportSha256(back)).toBe(reportSha256(report));
  });

  it("writes only while the named worker holds the audit", async () => {
    const db = getDb();
    expect(await writeAuditReport(db, id, { x: 1 }, "someone-else")).toBe(0);
    expect((await db.audit.findUnique({ where: { id } }))!.report).toEqual(report);
    expect(await writeAuditReport(db, id, { x: 2 }, "w1")).toBe(1);
    expect((await db.audit.findUnique({ where: { id } }))!.report).toEqual({ x: 2 });
  });
});
