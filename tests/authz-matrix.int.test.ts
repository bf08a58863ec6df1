// The authorization matrix: every route handler (app/api/**/route.ts) and every server action
// (modules under app/ whose first statement is "use server"), found on disk at test time, called
// as each identity — anonymous, a malformed token, a revoked token, a disabled user, reviewer, data
// scientist, admin — and checked against the minimum role the tables below give it. A route, a
// method or an action that the tables do not list fails the test: a new endpoint must say here
// who may call it before it can ship.
//
// Route handlers are called directly (no HTTP server) with `Authorization: Bearer` API tokens;
// session cookies need a Next request scope. Server actions get their actor from
// lib/auth/session.ts's getActor, which is mocked here to return what the real one returns for
// each identity (a disabled user's id → getActorById → null). Every call points at something that
// does not exist (ids, slugs) or sends invalid input, so nothing real changes: a caller who passes
// the check gets a 404, 409 or 422 instead of a 401 or 403.

import { getDb, closeDb } from "../lib/db/client";
import { AppError } from "../lib/errors";
import type { Actor, Role } from "../lib/auth/roles";
import { bearer, makeUser, type TestUser } from "./helpers/users";
import { ROOT } from "./helpers/shared";
import { HTTP_METHODS, inlineServerActions, paramsFor, relative, routeFiles, serverActionFiles, urlFor } from "./helpers/authz";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// ---------------------------------------------------------------------------------------------
// The expectations. "any signed-in" = reviewer and up; "public" only for next-auth's own routes.

// "reviewers and admins": not data scientists (the activity log); "session only": refused (403) to
// every API token, whatever its role (a token may not mint tokens), so the route matrix, which
// calls with tokens, expects 403 for every role.
type MinRole = "public" | "any signed-in" | "data_scientist" | "admin" | "reviewers and admins" | "session only";

/** "METHOD /api/pattern" → the least role that may call it (README, "REST API for pipelines"). */
const ROUTES: Record<string, MinRole> = {
  "GET /api/audits": "any signed-in", // list audits
  "POST /api/audits": "data_scientist", // create (run_audit)
  "GET /api/audits/[id]": "any signed-in", // status, ?include=report
  "GET /api/audits/[id]/bundle": "any signed-in",
  "POST /api/audits/[id]/cancel": "data_scientist", // run_audit
  "GET /api/audits/[id]/pdf": "any signed-in", // README "PDF audit reports": any signed-in role
  "GET /api/audits/[id]/report": "any signed-in",
  "POST /api/audits/[id]/rerun": "data_scientist", // run_audit
  "GET /api/audits/[id]/spec": "any signed-in",
  "GET /api/audits/[id]/review": "any signed-in",
  "POST /api/audits/[id]/review": "any signed-in", // the service then checks the role per action (submit: data scientist; decide: reviewer) and four eyes
  "GET /api/verify/[sha256]": "any signed-in",
  "GET /api/events": "reviewers and admins", // read_trail
  "GET /api/events/verify": "reviewers and admins",
  "GET /api/tokens": "any signed-in",
  "POST /api/tokens": "session only",
  "POST /api/account/password": "session only",
  "GET /api/users": "admin",
  "POST /api/users": "admin",
  "GET /api/auth/[...nextauth]": "public", // next-auth: sign-in page data, session, csrf, providers
  "POST /api/auth/[...nextauth]": "public", // next-auth: sign in / out callbacks (throttled)
  "PUT /api/projects/[slug]/datasets": "data_scientist", // upload
  "POST /api/projects/[slug]/models": "data_scientist", // upload
  "POST /api/projects/[slug]/models/describe": "data_scientist", // upload (the form's manifest proposal)
};

/** Only next-auth's catch-all may be public. */
const PUBLIC_PATTERNS = ["/api/auth/[...nextauth]"];

interface ActionExpectation {
  role: Exclude<MinRole, "public">;
  /** Arguments that pass the check but change nothing (missing ids, invalid input). */
  args: () => unknown[];
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const MISSING = "authz-no-such-id";

/** "file under app/#export" → the least role that may call it, and how to call it harmlessly. */
const ACTIONS: Record<string, ActionExpectation> = {
  // projects, datasets, audits (README "Accounts and roles": data scientists create projects,
  // upload, start and cancel audits; reviewers comment)
  "app/(app)/projects/actions.ts#createProjectAction": { role: "data_scientist", args: () => [{}, form({ name: "" })] },
  "app/(app)/projects/actions.ts#configureDatasetAction": { role: "data_scientist", args: () => [MISSING, MISSING, {}, form({ label: "a", positive: "1", sensitive: "b" })] },
  "app/(app)/projects/actions.ts#createAuditAction": { role: "data_scientist", args: () => [MISSING, {}] },
  "app/(app)/projects/actions.ts#cancelAuditAction": { role: "data_scientist", args: () => [MISSING] },
  "app/(app)/projects/actions.ts#rerunAtThresholdAction": { role: "data_scientist", args: () => [MISSING, 0.5] },
  "app/(app)/projects/actions.ts#addCommentAction": { role: "any signed-in", args: () => [MISSING, {}, form({ body: "authz matrix" })] },
  // the audit page's tabs beyond the first, rendered when opened (read)
  "app/(app)/audits/[id]/review-actions.ts#reviewAuditAction": { role: "any signed-in", args: () => [MISSING, {}, form({ action: "submit" })] }, // roles per action: the service
  "app/(app)/audits/[id]/review-actions.ts#loadAuditTrailAction": { role: "any signed-in", args: () => [MISSING] },
  "app/(app)/audits/[id]/review-actions.ts#rerunAuditAction": { role: "data_scientist", args: () => [MISSING] },
  "app/(app)/audits/[id]/tab-actions.tsx#loadReportTabAction": { role: "any signed-in", args: () => [MISSING, "fairness"] },
  // settings: API tokens for oneself (everyone), users (admins)
  "app/(app)/_actions/retention.ts#archiveAction": { role: "data_scientist", args: () => ["dataset", MISSING, true] },
  "app/(app)/_actions/retention.ts#deleteAction": { role: "any signed-in", args: () => ["audit", MISSING, "/"] }, // audits: the starter of a failed one may; the rest: admins (the service)
  "app/(app)/settings/actions.ts#createTokenAction": { role: "any signed-in", args: () => [{}, form({ name: "" })] },
  "app/(app)/settings/actions.ts#revokeTokenAction": { role: "any signed-in", args: () => [MISSING] },
  "app/(app)/settings/actions.ts#createUserAction": { role: "admin", args: () => [{}, form({ email: "not-an-email", role: "admin" })] },
  "app/(app)/settings/actions.ts#resetPasswordAction": { role: "admin", args: () => [MISSING] },
  "app/(auth)/change-password/actions.ts#changePasswordAction": { role: "any signed-in", args: () => [MISSING, {}, form({ current: "wrong", next: "x", confirm: "x" })] },
  "app/(app)/settings/actions.ts#updateUserAction": { role: "admin", args: () => [MISSING, { role: "admin" }] },
};

// ---------------------------------------------------------------------------------------------
// Mocks for server actions: who is signed in, and Next's redirect / cache outside a request.

/** The signed-in user's id as the (mocked) session says; null: no session or an expired one. */
const mockSession: { userId: string | null } = { userId: null };
/** Every value server code asked isAppError about during one action call (failure() does). */
const mockSeen: unknown[] = [];

jest.mock("../lib/auth/session", () => {
  const users = jest.requireActual<typeof import("../lib/services/users")>("../lib/services/users");
  const roles = jest.requireActual<typeof import("../lib/auth/roles")>("../lib/auth/roles");
  const nav = jest.requireMock<typeof import("next/navigation")>("next/navigation");
  // as the real getActor: the session's user id, fresh from the database (null when disabled)
  const getActor = async (): Promise<Actor | null> => (mockSession.userId ? users.getActorById(mockSession.userId) : null);
  const requireActor = async (returnTo = "/") => {
    const actor = await getActor();
    if (!actor) nav.redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
    return actor;
  };
  const requirePermission = async (permission: Parameters<typeof roles.can>[1], returnTo = "/") => {
    const actor = await requireActor(returnTo);
    if (!roles.can(actor, permission)) nav.redirect(`/forbidden?need=${permission}`);
    return actor;
  };
  return { __esModule: true, getActor, requireActor, requirePermission };
});

jest.mock("next/navigation", () => {
  // Next throws special errors for these; ours say what was asked, for the matrix to classify
  const thrower = (kind: string) => (url?: string) => {
    throw Object.assign(new Error(`${kind} ${url ?? ""}`.trim()), { authzMatrixNavigation: kind, url: url ?? "" });
  };
  return {
    __esModule: true,
    redirect: thrower("redirect"),
    permanentRedirect: thrower("redirect"),
    notFound: () => thrower("notFound")(),
    forbidden: () => thrower("forbidden")(),
    unauthorized: () => thrower("unauthorized")(),
  };
});

jest.mock("next/cache", () => ({
  __esModule: true,
  revalidatePath: jest.fn(),
  revalidateTag: jest.fn(),
  updateTag: jest.fn(),
  refresh: jest.fn(),
  unstable_cache: <T>(fn: T) => fn,
}));

jest.mock("../lib/errors", () => {
  const actual = jest.requireActual<typeof import("../lib/errors")>("../lib/errors");
  return {
    ...actual,
    __esModule: true,
    isAppError: (e: unknown): e is AppError => {
      mockSeen.push(e);
      return actual.isAppError(e);
    },
  };
});

// ---------------------------------------------------------------------------------------------
// Discovery (at collection time, so each route × method × identity is its own named test).

type Handler = (req: Request, ctx: { params: Promise<unknown> }) => Promise<Response>;
type Module = Record<string, unknown>;

function load(file: string): Module {
  // synchronous on purpose: the tests below are generated from what the modules export
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as Module;
}

const discoveredRoutes = routeFiles().flatMap(({ pattern, file }) => {
  const mod = load(file);
  return HTTP_METHODS.filter((m) => typeof mod[m] === "function").map((method) => ({ key: `${method} ${pattern}`, method, pattern, handler: mod[method] as Handler }));
});

const discoveredActions = serverActionFiles().flatMap((file) => {
  const mod = load(file);
  return Object.keys(mod)
    .filter((name) => typeof mod[name] === "function")
    .map((name) => ({ key: `${relative(file)}#${name}`, fn: mod[name] as (...args: unknown[]) => Promise<unknown> }));
});

// ---------------------------------------------------------------------------------------------
// Identities.

const ROLE_RANK: Record<Role, number> = { reviewer: 1, data_scientist: 2, admin: 3 };
const MIN_RANK: Record<"any signed-in" | "data_scientist" | "admin", number> = { "any signed-in": 1, data_scientist: 2, admin: 3 };

type RouteIdentity = "anonymous" | "malformed token" | "revoked token" | "expired token" | "disabled user" | Role;
// Revoked, expired and disabled identities are admins, so the refusal cannot come from the role.
const ROUTE_IDENTITIES: RouteIdentity[] = ["anonymous", "malformed token", "revoked token", "expired token", "disabled user", "reviewer", "data_scientist", "admin"];

type ActionIdentity = "anonymous" | "expired session" | "disabled user" | Role;
// Server actions authenticate by the session only: an expired session (JWT past its 12 h) makes
// getServerSession, and so getActor, return null; a disabled user still holding a valid session
// gets null from getActorById.
const ACTION_IDENTITIES: ActionIdentity[] = ["anonymous", "expired session", "disabled user", "reviewer", "data_scientist", "admin"];

type Expected = "401" | "403" | "allowed";

function expectedFor(identity: RouteIdentity | ActionIdentity, min: Exclude<MinRole, "public"> | undefined): Expected {
  if (identity === "reviewer" || identity === "data_scientist" || identity === "admin") {
    if (min === undefined) return "allowed"; // not in the table: the test fails on that first
    if (min === "session only") return "403";
    if (min === "reviewers and admins") return identity === "data_scientist" ? "403" : "allowed";
    return ROLE_RANK[identity] >= MIN_RANK[min] ? "allowed" : "403";
  }
  return "401";
}

const users = {} as Record<Role | "disabled" | "revoked" | "expired", TestUser>;

/** Row counts of what a call that got past the check could have changed. */
async function counts() {
  const db = getDb();
  const [users, tokens, revoked, disabled, projects, datasets, models, audits, comments] = await Promise.all([
    db.user.count(),
    db.apiToken.count(),
    db.apiToken.count({ where: { revokedAt: { not: null } } }),
    db.user.count({ where: { disabled: true } }),
    db.project.count(),
    db.dataset.count(),
    db.modelVersion.count(),
    db.audit.count(),
    db.comment.count(),
  ]);
  return { users, tokens, revoked, disabled, projects, datasets, models, audits, comments };
}
let before: Awaited<ReturnType<typeof counts>>;

beforeAll(async () => {
  users.reviewer = await makeUser("reviewer");
  users.data_scientist = await makeUser("data_scientist");
  users.admin = await makeUser("admin");
  users.disabled = await makeUser("admin");
  await getDb().user.update({ where: { id: users.disabled.actor.id }, data: { disabled: true } });
  users.revoked = await makeUser("admin");
  await getDb().apiToken.updateMany({ where: { userId: users.revoked.actor.id }, data: { revokedAt: new Date() } });
  users.expired = await makeUser("admin");
  await getDb().apiToken.updateMany({ where: { userId: users.expired.actor.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  before = await counts();
});

afterAll(async () => {
  await closeDb();
});

function tokenOf(identity: RouteIdentity): string | null {
  switch (identity) {
    case "anonymous":
      return null;
    case "malformed token":
      return "assay_this-is-not-a-token";
    case "revoked token":
      return users.revoked.token;
    case "expired token":
      return users.expired.token;
    case "disabled user":
      return users.disabled.token;
    default:
      return users[identity].token;
  }
}

function sessionUserOf(identity: ActionIdentity): string | null {
  switch (identity) {
    case "anonymous":
    case "expired session":
      return null;
    case "disabled user":
      return users.disabled.actor.id;
    default:
      return users[identity].actor.id;
  }
}

// ---------------------------------------------------------------------------------------------
// The tables match what is on disk.

describe("the tables list every route handler and server action", () => {
  it("finds the route handlers and server actions at all", () => {
    expect(discoveredRoutes.length).toBeGreaterThanOrEqual(10);
    expect(discoveredActions.length).toBeGreaterThanOrEqual(8);
  });

  it("every exported HTTP method of every app/api route is in ROUTES", () => {
    expect(discoveredRoutes.map((r) => r.key).filter((k) => !(k in ROUTES))).toEqual([]);
  });

  it("every entry of ROUTES is a route and method that exists", () => {
    const found = new Set(discoveredRoutes.map((r) => r.key));
    expect(Object.keys(ROUTES).filter((k) => !found.has(k))).toEqual([]);
  });

  it("every exported function of every 'use server' module is in ACTIONS", () => {
    expect(discoveredActions.map((a) => a.key).filter((k) => !(k in ACTIONS))).toEqual([]);
  });

  it("every entry of ACTIONS is an action that exists", () => {
    const found = new Set(discoveredActions.map((a) => a.key));
    expect(Object.keys(ACTIONS).filter((k) => !found.has(k))).toEqual([]);
  });

  it("only next-auth's own endpoints are public", () => {
    const publicKeys = Object.entries(ROUTES).filter(([, role]) => role === "public").map(([k]) => k.split(" ")[1]);
    expect(publicKeys.filter((p) => !PUBLIC_PATTERNS.includes(p!))).toEqual([]);
  });

  it("no inline 'use server' (server actions inside components escape this matrix)", () => {
    const dirs = ["app", "components", "lib"].map((d) => path.join(ROOT, d));
    expect(inlineServerActions(dirs).map((x) => `${relative(x.file)}:${x.line}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Route handlers × identities.

async function callRoute(handler: Handler, method: string, pattern: string, token: string | null): Promise<Response> {
  const init: RequestInit & { duplex?: "half" } = { method, headers: token ? bearer(token) : {} };
  if (method !== "GET" && method !== "HEAD") {
    // what the upload and create endpoints read, pointing at nothing that exists
    init.body = form({ datasetId: MISSING, version: "authz", project: MISSING });
  }
  return handler(new Request(urlFor(pattern, MISSING), init), { params: Promise.resolve(paramsFor(pattern, MISSING)) });
}

const routeCases = discoveredRoutes.map((r) => ({ ...r, min: ROUTES[r.key] }));

describe.each(routeCases.filter((r) => r.min !== "public"))("route $key (min: $min)", ({ key, method, pattern, handler, min }) => {
  const cases = ROUTE_IDENTITIES.map((identity) => ({ identity, expected: expectedFor(identity, min as Exclude<MinRole, "public"> | undefined) }));

  it.each(cases)("$identity → $expected", async ({ identity, expected }) => {
    expect({ route: key, listedInRoutes: min !== undefined }).toEqual({ route: key, listedInRoutes: true });
    const res = await callRoute(handler, method, pattern, tokenOf(identity));
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    const got = { route: key, identity, status: res.status, code: body?.error?.code };
    if (expected === "401") expect(got).toEqual({ ...got, status: 401, code: "UNAUTHORIZED" });
    else if (expected === "403") expect(got).toEqual({ ...got, status: 403, code: "FORBIDDEN" });
    else {
      expect([401, 403]).not.toContain(res.status);
      // passed the check and then failed on the missing id / invalid input (or succeeded)
      expect({ ...got, passed: res.status < 500 }).toEqual({ ...got, passed: true });
    }
  });
});

describe.each(routeCases.filter((r) => r.min === "public"))("route $key (public)", ({ pattern }) => {
  it("is next-auth's own endpoint, exempt from the matrix", () => {
    expect(PUBLIC_PATTERNS).toContain(pattern);
  });
});

// ---------------------------------------------------------------------------------------------
// Server actions × identities.

type ActionOutcome = { kind: "denied"; code: "UNAUTHORIZED" | "FORBIDDEN"; detail: string } | { kind: "passed"; detail: string } | { kind: "unexpected"; detail: string };

function lastAppError(): AppError | undefined {
  return [...mockSeen].reverse().find((e): e is AppError => e instanceof AppError);
}

function navigationOutcome(e: { authzMatrixNavigation: string; url: string }): ActionOutcome {
  const detail = `${e.authzMatrixNavigation} ${e.url}`.trim();
  if (e.authzMatrixNavigation === "unauthorized" || (e.authzMatrixNavigation === "redirect" && e.url.startsWith("/sign-in"))) return { kind: "denied", code: "UNAUTHORIZED", detail };
  if (e.authzMatrixNavigation === "forbidden" || (e.authzMatrixNavigation === "redirect" && e.url.startsWith("/forbidden"))) return { kind: "denied", code: "FORBIDDEN", detail };
  return { kind: "passed", detail };
}

function classify(code: string, detail: string): ActionOutcome {
  return code === "UNAUTHORIZED" || code === "FORBIDDEN" ? { kind: "denied", code, detail } : { kind: "passed", detail };
}

async function callAction(fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<ActionOutcome> {
  mockSeen.length = 0;
  let result: unknown;
  try {
    result = await fn(...args);
  } catch (e) {
    if (e && typeof e === "object" && "authzMatrixNavigation" in e) return navigationOutcome(e as { authzMatrixNavigation: string; url: string });
    if (e instanceof AppError) return classify(e.code, `threw ${e.code}: ${e.userMessage}`);
    return { kind: "unexpected", detail: `threw ${String(e)}` };
  }
  const error = (result as { error?: { message?: string } } | undefined)?.error;
  if (!error) return { kind: "passed", detail: `returned ${JSON.stringify(result)}` };
  // failure() turns an AppError into { error: { message } } and drops the code: take it from
  // the AppError that failure() asked isAppError about
  const appError = lastAppError();
  if (!appError) return { kind: "unexpected", detail: `returned an error without an AppError behind it: ${JSON.stringify(error)}` };
  return classify(appError.code, `returned { error } from ${appError.code}: ${appError.userMessage}`);
}

const actionCases = discoveredActions.map((a) => ({ ...a, min: ACTIONS[a.key]?.role, args: ACTIONS[a.key]?.args }));

describe.each(actionCases)("server action $key (min: $min)", ({ key, fn, min, args }) => {
  const cases = ACTION_IDENTITIES.map((identity) => ({ identity, expected: expectedFor(identity, min) }));

  it.each(cases)("$identity → $expected", async ({ identity, expected }) => {
    expect({ action: key, listedInActions: min !== undefined }).toEqual({ action: key, listedInActions: true });
    mockSession.userId = sessionUserOf(identity);
    const outcome = await callAction(fn, args!());
    const got = { action: key, identity, ...outcome };
    if (expected === "401") expect(got).toEqual({ ...got, kind: "denied", code: "UNAUTHORIZED" });
    else if (expected === "403") expect(got).toEqual({ ...got, kind: "denied", code: "FORBIDDEN" });
    else expect(got).toEqual({ ...got, kind: "passed" });
  });
});

// ---------------------------------------------------------------------------------------------

describe("the matrix itself", () => {
  it("changed nothing: every call above pointed at missing ids or sent invalid input", async () => {
    expect(await counts()).toEqual(before);
  });

  it("discovers routes (route groups, catch-alls) and 'use server' modules the way Next does", () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), "assay-authz-app-"));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(app, rel)), { recursive: true });
      fs.writeFileSync(path.join(app, rel), text);
    };
    write("api/(internal)/things/[id]/route.ts", "export async function GET() {}\n");
    write("api/files/[...path]/route.ts", "export const POST = () => null;\n");
    write("api/things/helpers.ts", "export const x = 1;\n");
    write("(app)/a/actions.ts", '// a comment first\n/* and another */\n"use server";\nexport async function a() {}\n');
    write("(app)/b/actions.ts", "'use server'\nexport async function b() {}\n");
    write("(app)/c/not-actions.ts", 'import x from "y";\n"use server";\n');
    write("(app)/d/page.tsx", 'export default function P() {\n  async function act() {\n    "use server";\n  }\n  return act;\n}\n');
    try {
      expect(routeFiles(app).map((r) => r.pattern).sort()).toEqual(["/api/files/[...path]", "/api/things/[id]"]);
      expect(paramsFor("/api/files/[...path]/x/[id]", "m")).toEqual({ path: ["m"], id: "m" });
      expect(urlFor("/api/files/[...path]/x/[id]", "m")).toBe("http://localhost/api/files/m/x/m");
      expect(serverActionFiles(app).map((f) => path.relative(app, f))).toEqual([path.join("(app)", "a", "actions.ts"), path.join("(app)", "b", "actions.ts")]);
      expect(inlineServerActions([app]).map((x) => `${path.relative(app, x.file)}:${x.line}`)).toEqual([`${path.join("(app)", "c", "not-actions.ts")}:2`, `${path.join("(app)", "d", "page.tsx")}:3`]);
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
