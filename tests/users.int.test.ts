// The first admin, password sign-in, and user management by admins.

import { closeDb, getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { authenticateWithPassword, createUser, ensureAdmin, findOrCreateSsoUser, getActorById, updateUser } from "../lib/services/users";
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
    await expect(createUser(admin, { email: "new.person@example.com", role: "reviewer", password: "another-one" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await updateUser(admin, u.id, { role: "data_scientist" });
    expect((await getActorById(u.id))!.role).toBe("data_scientist");
    await updateUser(admin, u.id, { disabled: true });
    expect(await getActorById(u.id)).toBeNull();
    expect(await authenticateWithPassword("new.person@example.com", "a-long-password")).toBeNull();
    await expect(updateUser(admin, admin.id, { role: "reviewer" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
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
