// Cross-site request forgery: a route handler authenticated by the session cookie answers a
// state-changing request (anything but GET, HEAD, OPTIONS) only when the browser says it comes
// from this app: its Origin (or, without one, its Referer) must be the app's origin — the
// request's own, or NEXTAUTH_URL's behind a proxy. SameSite=Lax cookies alone leave top-level
// cross-site POSTs and same-site subdomains open. API tokens (Authorization: Bearer) are not
// sent by browsers on their own and need no check. Server actions get Next.js' own check.

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE.has(method.toUpperCase());
}

function originOf(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const o = new URL(u).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

/** The origins this app is reached at: the request's own, NEXTAUTH_URL's, and the forwarded host's. */
export function appOrigins(req: Request, publicUrl: string | undefined = process.env.NEXTAUTH_URL): Set<string> {
  const out = new Set<string>();
  const own = originOf(req.url);
  if (own) out.add(own);
  const configured = originOf(publicUrl);
  if (configured) out.add(configured);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) {
    const proto = (req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(/:$/, "")).split(",")[0]!.trim();
    const forwarded = originOf(`${proto}://${host.split(",")[0]!.trim()}`);
    if (forwarded) out.add(forwarded);
  }
  return out;
}

/** Whether a cookie-authenticated request may change state: safe methods always; others only from this app. */
export function sameOriginRequest(req: Request, publicUrl?: string): boolean {
  if (isSafeMethod(req.method)) return true;
  const from = originOf(req.headers.get("origin")) ?? originOf(req.headers.get("referer"));
  if (!from) return false;
  return appOrigins(req, publicUrl).has(from);
}
