// Server actions go through services, and every service checks the role itself: anonymous
// callers get UNAUTHORIZED and the wrong role FORBIDDEN, for each mutating use-case.

import { closeDb } from "../lib/db/client";
import type { Actor } from "../lib/auth/roles";
import { createProject } from "../lib/services/projects";
import { configureDataset } from "../lib/services/datasets";
import { addComment, cancelAudit, createAudit } from "../lib/services/audits";
import { createApiToken, revokeApiToken } from "../lib/services/api-tokens";
import { createUser, updateUser } from "../lib/services/users";
import { declareScoreVersion, describeModelUpload, uploadModelVersion } from "../lib/services/models";
import { uploadDataset } from "../lib/services/datasets";
import { makeUser } from "./helpers/users";

afterAll(async () => {
  await closeDb();
});

type Call = (a: Actor | null) => Promise<unknown>;

const empty = (async function* () {})();

const cases: Array<[string, Call, "reviewer" | "data_scientist" | null]> = [
  ["createProject", (a) => createProject(a, { name: "x" }), "reviewer"],
  ["uploadDataset", (a) => uploadDataset(a, { projectSlug: "x", fileName: "x.csv", body: empty }), "reviewer"],
  ["configureDataset", (a) => configureDataset(a, "x", { label: "a", positive: "1", sensitive: ["b"] }), "reviewer"],
  ["uploadModelVersion", (a) => uploadModelVersion(a, { projectSlug: "x", meta: { version: "v", datasetId: "d" }, files: [] }), "reviewer"],
  ["describeModelUpload", (a) => describeModelUpload(a, { projectSlug: "x", datasetId: "d", files: [] }), "reviewer"],
  ["declareScoreVersion", (a) => declareScoreVersion(a, { projectSlug: "x", meta: { version: "v", datasetId: "d", scoreColumn: "s" } }), "reviewer"],
  ["createAudit", (a) => createAudit(a, { projectSlug: "x", spec: {} }), "reviewer"],
  ["cancelAudit", (a) => cancelAudit(a, "x"), "reviewer"],
  ["createUser", (a) => createUser(a, { email: "n@x.io", role: "reviewer", password: "123456789012" }), "data_scientist"],
  ["updateUser", (a) => updateUser(a, "x", { role: "admin" }), "data_scientist"],
  ["addComment", (a) => addComment(a, "x", { body: "hi" }), null],
  ["createApiToken", (a) => createApiToken(a, { name: "t" }), null],
  ["revokeApiToken", (a) => revokeApiToken(a, "x"), null],
];

describe.each(cases)("%s", (_name, call, wrongRole) => {
  it("refuses an anonymous caller", async () => {
    await expect(call(null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
  if (wrongRole) {
    it(`refuses a ${wrongRole}`, async () => {
      const { actor } = await makeUser(wrongRole);
      await expect(call(actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    });
  }
});
