// Where to send a user after sign-in: only a path on this app. A prefix check is not enough:
// browsers read "/\evil.com" as "//evil.com" and drop tabs and newlines ("/\t/evil.com"), so
// the callback is resolved as a URL against the app's own origin and kept only when it stays
// there.

const BASE = "http://assay.invalid";

/** The callback as a same-origin path ("/audits/x?tab=fairness"), else "/". */
export function safeCallbackPath(callback: string | null | undefined, appOrigin?: string): string {
  if (!callback) return "/";
  const base = appOrigin ?? BASE;
  let url: URL;
  try {
    url = new URL(callback, base);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(base).origin) return "/";
  // a relative callback must also start as a path (not "javascript:", not "evil.com")
  if (!/^https?:\/\//i.test(callback) && !callback.startsWith("/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** next-auth's redirect callback: same-origin URLs and paths only. */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const path = safeCallbackPath(url, baseUrl);
  return new URL(path, baseUrl).toString();
}
