// The first admin, password sign-in, and user management by admins.

import { closeDb, getDb } from "../lib/db/client";
import { ensureDatabase } from "../lib/db/ensure";
import { authenticateWithPassword, createUser, ensureAdmin, getActorById, updateUser } from "../lib/services/users";

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
