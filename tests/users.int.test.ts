// The first admin, password sign-in, and user management by admins.

import { closeDb, getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { authenticateWithPassword, changeOwnPassword, createUser, ensureAdmin, findOrCreateSsoUser, getActorById, resetUserPassword, updateUser } from "../lib/services/users";
import { createApiToken } from "../lib/services/api-tokens";
import { listProjects } from "../lib/services/projects";
import * as auditsRoute from "../app/api/audits/route";
import * as usersRoute from "../app/api/users/route";
import { resetEnvCache } from "../lib/env";
import bcrypt from "bcryptjs";

afterAll(async () => {
  await closeDb();
});

describe("accounts", () => {
  it("creates the first admin once, with a generated password that signs in", async () => {
    ensureDatabase();
    const first = await ensureAdmin();
    expect(first).toMatchObject({ email: "admin@localhost" });
    expect(first!.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await ensureAdmin()).toBeNull();
    const admin = await authenticateWithPassword("ADMIN@localhost ", first!.password!);
    expect(admin).toMatchObject({ email: "admin@localhost", role: "admin" });
    expect(await authenticateWithPassword("admin@localhost", "wrong")).toBeNull();
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: "admin@localhost" } });
    expect(stored.passwordHash).toMatch(/^\$2[aby]\$12\$/); // bcrypt, cost 12
    expect(stored.passwordHash).not.toContain(first!.password!);
  });

  it("lets an admin add users and change roles, which apply at once, and disable them", async () => {
    const admin = (await getActorById((await getDb().user.findFirstOrThrow({ where: { role: "admin" } })).id))!;
    const u = await createUser(admin, { email: "New.Person@Example.com", name: "New", role: "reviewer", password: "a-long-password" });
    expect(u.email).toBe("new.person@example.com");
    await expect(createUser(admin, { email: "new.person@example.com", role: "reviewer", password: "another-one-long" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await updateUser(admin, u.id, { role: "data_scientist" });
    expect((await getActorById(u.id))!.role).toBe("data_scientist");
    await updateUser(admin, u.id, { disabled: true });
    expect(await getActorById(u.id)).toBeNull();
    expect(await authenticateWithPassword("new.person@example.com", "a-long-password")).toBeNull();
    await expect(updateUser(admin, admin.id, { role: "reviewer" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("one-time passwords, changing one's own, and sessions", () => {
  const adminActor = async () => (await getActorById((await getDb().user.findFirstOrThrow({ where: { role: "admin", mustChangePassword: false, disabled: false } })).id))!;

  it("a new user holds a one-time password: signs in, but every service and API call asks for a new one first", async () => {
    ensureDatabase();
    await ensureAdmin();
    const admin = await adminActor();
    const u = await createUser(admin, { email: "otp.user@example.com", role: "data_scientist" });
    expect(u.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const signedIn = await authenticateWithPassword("otp.user@example.com", u.oneTimePassword);
    expect(signedIn).toMatchObject({ id: u.id, mustChangePassword: true });
    const actor = (await getActorById(u.id))!;
    expect(actor.mustChangePassword).toBe(true);
    await expect(listProjects(actor)).rejects.toMatchObject({ code: "PASSWORD_CHANGE_REQUIRED" });
    const { token } = await createApiToken({ ...actor, mustChangePassword: false }, { name: "pipeline" }); // as if minted before a reset
    const res = await auditsRoute.GET(new Request("http://x/api/audits", { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PASSWORD_CHANGE_REQUIRED");
  });

  it("changing one's own password: current one required, 12+ characters, not the email; other sessions end", async () => {
    const u = await getDb().user.findUniqueOrThrow({ where: { email: "otp.user@example.com" } });
    const actor = (await getActorById(u.id))!;
    const admin = await adminActor();
    const { password: otp } = await resetUserPassword(admin, u.id); // a known one-time password
    const sv = (await getDb().user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion;
    await expect(changeOwnPassword(actor, { current: "not-it", next: "a-fine-long-password" })).rejects.toMatchObject({ code: "INVALID_INPUT", location: { field: "current" } });
    await expect(changeOwnPassword(actor, { current: otp, next: "short-pw" })).rejects.toMatchObject({ code: "INVALID_INPUT", userMessage: "at least 12 characters" });
    await expect(changeOwnPassword(actor, { current: otp, next: "OTP.User@example.com" })).rejects.toMatchObject({ code: "INVALID_INPUT", userMessage: "not your email address" });
    const { sessionVersion } = await changeOwnPassword(actor, { current: otp, next: "my own long password" });
    expect(sessionVersion).toBe(sv + 1);
    expect(await getActorById(u.id, sv)).toBeNull(); // a session from before the change
    expect(await getActorById(u.id, sessionVersion)).toMatchObject({ id: u.id });
    expect((await getActorById(u.id))!.mustChangePassword).toBeUndefined();
    expect(await authenticateWithPassword(u.email, otp)).toBeNull();
    expect(await authenticateWithPassword(u.email, "my own long password")).toMatchObject({ id: u.id, sessionVersion });
  });

  it("an admin's reset issues a one-time password and ends the user's sessions; only admins may", async () => {
    const u = await getDb().user.findUniqueOrThrow({ where: { email: "otp.user@example.com" } });
    const before = u.sessionVersion;
    const admin = await adminActor();
    await expect(resetUserPassword((await getActorById(u.id))!, admin.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const r = await resetUserPassword(admin, u.id);
    expect(await getActorById(u.id, before)).toBeNull();
    expect(await authenticateWithPassword(u.email, "my own long password")).toBeNull();
    expect(await authenticateWithPassword(u.email, r.password)).toMatchObject({ mustChangePassword: true });
    // the trail has it, without the password
    const events = await getDb().event.findMany({ where: { targetId: u.id, action: { in: ["password_reset", "password_change"] } } });
    expect(events.map((e) => e.action).sort()).toEqual(["password_change", "password_reset", "password_reset"]);
    expect(events.some((e) => e.summary.includes(r.password))).toBe(false);
  });

  it("POST /api/users (admins) answers the one-time password once", async () => {
    const admin = await adminActor();
    const { token } = await createApiToken(admin, { name: "provisioning" });
    const post = (body: unknown, t = token) => usersRoute.POST(new Request("http://x/api/users", { method: "POST", headers: { authorization: `Bearer ${t}`, "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
    const res = await post({ email: "Script.Made@example.com", name: "Script", role: "reviewer" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { email: string; role: string; oneTimePassword: string };
    expect(body).toMatchObject({ email: "script.made@example.com", role: "reviewer" });
    expect(await authenticateWithPassword("script.made@example.com", body.oneTimePassword)).toMatchObject({ mustChangePassword: true });
    expect((await post({ email: "x@example.com", role: "overlord" })).status).toBe(422);
    const reviewer = (await getActorById((await getDb().user.findUniqueOrThrow({ where: { email: "script.made@example.com" } })).id))!;
    const { token: rt } = await createApiToken({ ...reviewer, mustChangePassword: false }, { name: "r" });
    expect((await post({ email: "y@example.com", role: "admin" }, rt)).status).toBe(403);
  });
});

describe("single sign-on", () => {
  const ISSUER = "https://idp.example";
  const id = (over: Partial<Parameters<typeof findOrCreateSsoUser>[0]>) => ({ issuer: ISSUER, subject: "sub-1", email: "ada@corp.example", emailVerified: true, name: "Ada", ...over });

  afterEach(() => {
    delete process.env.ASSAY_OIDC_ALLOWED_DOMAINS;
    resetEnvCache();
  });

  it("never hands an SSO identity an existing account by its email: the admin's email gets no admin", async () => {
    ensureDatabase();
    await ensureAdmin();
    const before = await getDb().user.count();
    // an identity provider that lets anyone choose their email, verified or not
    expect(await findOrCreateSsoUser(id({ subject: "attacker", email: "admin@localhost" }))).toBe("SsoEmailTaken");
    expect(await findOrCreateSsoUser(id({ subject: "attacker", email: "ADMIN@localhost", emailVerified: "true" }))).toBe("SsoEmailTaken");
    expect(await getDb().user.count()).toBe(before);
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: "admin@localhost" } });
    expect(admin.ssoSubject).toBeNull();
  });

  it("requires a verified email for a new SSO user", async () => {
    expect(await findOrCreateSsoUser(id({ subject: "u-unverified", email: "eve@corp.example", emailVerified: false }))).toBe("SsoEmailUnverified");
    expect(await findOrCreateSsoUser(id({ subject: "u-unverified", email: "eve@corp.example", emailVerified: undefined }))).toBe("SsoEmailUnverified");
    expect(await findOrCreateSsoUser(id({ subject: "u-noemail", email: null }))).toBe("SsoEmailUnverified");
    expect(await getDb().user.findUnique({ where: { email: "eve@corp.example" } })).toBeNull();
  });

  it("keys SSO users by issuer + sub: the same sub signs in again under a changed email, another sub with that email does not", async () => {
    const first = await findOrCreateSsoUser(id({ subject: "sub-ada" }));
    expect(first).toMatchObject({ email: "ada@corp.example", role: "reviewer" });
    const again = await findOrCreateSsoUser(id({ subject: "sub-ada", email: "ada.lovelace@corp.example" }));
    expect(again).toEqual(first);
    expect(await findOrCreateSsoUser(id({ subject: "sub-other", email: "ada@corp.example" }))).toBe("SsoEmailTaken");
    // same sub at another issuer is another identity
    expect(await findOrCreateSsoUser(id({ issuer: "https://other-idp.example", subject: "sub-ada", email: "ada2@corp.example" }))).toMatchObject({ email: "ada2@corp.example" });
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: "ada@corp.example" } });
    expect(stored).toMatchObject({ ssoIssuer: ISSUER, ssoSubject: "sub-ada", passwordHash: null });
  });

  it("limits SSO sign-in to ASSAY_OIDC_ALLOWED_DOMAINS, and refuses a disabled SSO user", async () => {
    process.env.ASSAY_OIDC_ALLOWED_DOMAINS = "corp.example, @partner.example";
    resetEnvCache();
    expect(await findOrCreateSsoUser(id({ subject: "sub-mallory", email: "mallory@gmail.com" }))).toBe("SsoDomain");
    expect(await findOrCreateSsoUser(id({ subject: "sub-mallory", email: "mallory@corp.example.gmail.com" }))).toBe("SsoDomain");
    expect(await findOrCreateSsoUser(id({ subject: "sub-pat", email: "pat@partner.example" }))).toMatchObject({ email: "pat@partner.example" });
    await getDb().user.update({ where: { email: "pat@partner.example" }, data: { disabled: true } });
    expect(await findOrCreateSsoUser(id({ subject: "sub-pat", email: "pat@partner.example" }))).toBe("SsoDisabled");
  });
});

describe("password sign-in does not reveal which emails exist", () => {
  it("checks a password against a bcrypt hash of the same cost for an unknown email as for a known one", async () => {
    const spy = jest.spyOn(bcrypt, "compare");
    try {
      expect(await authenticateWithPassword("nobody-here@example.com", "a-guess")).toBeNull();
      expect(await authenticateWithPassword("admin@localhost", "a-guess")).toBeNull();
      expect(spy).toHaveBeenCalledTimes(2);
      const [unknown, known] = spy.mock.calls.map((c) => c[1] as string);
      expect(unknown).toMatch(/^\$2[aby]\$12\$/);
      expect(known).toMatch(/^\$2[aby]\$12\$/);
      expect(unknown).not.toBe(known);
    } finally {
      spy.mockRestore();
    }
  });
});
