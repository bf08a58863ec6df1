// next-auth's endpoints, with password guessing throttled in front of the credentials callback:
// per account and per client IP (429 with Retry-After, answered before any bcrypt work) and a
// cap on concurrent password checks (lib/auth/throttle.ts).

import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { clientIp, signInThrottle } from "@/lib/auth/throttle";

type Ctx = { params: Promise<{ nextauth: string[] }> };

const MAX_SIGN_IN_BODY = 16 * 1024;

const handler = (req: Request, ctx: Ctx) => NextAuth(authOptions())(req, ctx);

function tooMany(req: Request, retryAfterSeconds: number, message: string): Response {
  const url = new URL("/sign-in?error=TooManyAttempts", req.url).toString();
  return Response.json({ url, error: { code: "TOO_MANY_REQUESTS", message } }, { status: 429, headers: { "retry-after": String(retryAfterSeconds) } });
}

async function post(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (nextauth.join("/") !== "callback/credentials") return handler(req, ctx);
  if (Number(req.headers.get("content-length") ?? 0) > MAX_SIGN_IN_BODY) return Response.json({ error: { code: "PAYLOAD_TOO_LARGE", message: "sign-in request too large" } }, { status: 413 });
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get("email") ?? "").slice(0, 320);
  const ip = clientIp(req);
  const throttle = signInThrottle();
  const decision = throttle.begin(email, ip);
  if (!decision.ok) {
    const why = decision.reason === "busy" ? "too many sign-ins at once; try again in a moment" : `too many failed sign-ins; try again in ${decision.retryAfterSeconds} s`;
    return tooMany(req, decision.retryAfterSeconds, why);
  }
  try {
    const res = await handler(req, ctx);
    const signedIn = (res.headers.get("set-cookie") ?? "").includes("session-token=") && !(res.headers.get("set-cookie") ?? "").includes("session-token=;");
    if (signedIn) throttle.succeeded(email);
    else throttle.failed(email, ip);
    return res;
  } finally {
    decision.release();
  }
}

export { handler as GET, post as POST };
