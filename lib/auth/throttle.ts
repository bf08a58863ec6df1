// Password guessing: failed sign-ins are counted per account (email) and per client IP in a
// sliding window; past the limit the sign-in endpoint answers 429 with Retry-After before any
// bcrypt work. At most a few password checks run at once (bcrypt is CPU-bound and runs in the
// web process), so a flood cannot starve every other request. In memory: one web process (team
// mode with several web processes would keep these counters in Redis).

export interface ThrottleLimits {
  /** Failures per account within the window before that account is refused. */
  perAccount: number;
  /** Failures per client IP within the window before that IP is refused. */
  perIp: number;
  windowMs: number;
  /** Password checks allowed to run at the same time. */
  concurrent: number;
}

export const SIGN_IN_LIMITS: ThrottleLimits = { perAccount: 5, perIp: 30, windowMs: 15 * 60_000, concurrent: 4 };

export type ThrottleDecision = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; reason: "account" | "ip" | "busy" };

export class SignInThrottle {
  private failures = new Map<string, number[]>();
  private running = 0;

  constructor(
    private readonly limits: ThrottleLimits = SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const t = this.now();
    const kept = (this.failures.get(key) ?? []).filter((x) => t - x < this.limits.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  private retryAfter(times: number[], limit: number): number {
    // the attempt that must age out of the window before another is allowed
    const oldest = times[times.length - limit]!;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 1000));
  }

  /** Before checking a password: may this attempt go ahead? On ok, call release() when done. */
  begin(email: string, ip: string): ThrottleDecision {
    const account = this.recent(`a:${email.trim().toLowerCase()}`);
    if (account.length >= this.limits.perAccount) return { ok: false, reason: "account", retryAfterSeconds: this.retryAfter(account, this.limits.perAccount) };
    const byIp = this.recent(`i:${ip}`);
    if (byIp.length >= this.limits.perIp) return { ok: false, reason: "ip", retryAfterSeconds: this.retryAfter(byIp, this.limits.perIp) };
    if (this.running >= this.limits.concurrent) return { ok: false, reason: "busy", retryAfterSeconds: 1 };
    this.running++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released) this.running--;
        released = true;
      },
    };
  }

  failed(email: string, ip: string): void {
    const t = this.now();
    for (const key of [`a:${email.trim().toLowerCase()}`, `i:${ip}`]) this.failures.set(key, [...this.recent(key), t]);
    // bound memory under a spray of made-up emails: forget the oldest keys
    if (this.failures.size > 100_000) for (const k of [...this.failures.keys()].slice(0, 10_000)) this.failures.delete(k);
  }

  /** A successful sign-in clears the account's failures (not the IP's). */
  succeeded(email: string): void {
    this.failures.delete(`a:${email.trim().toLowerCase()}`);
  }
}

/** The client IP as the proxy in front reports it, else "unknown" (one shared bucket). */
export function clientIp(req: Request): string {
  const fwd = req.headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0]!.trim() || "unknown";
  return req.headers.get("x-real-ip")?.trim() || "unknown";
}

let shared: SignInThrottle | null = null;
export function signInThrottle(): SignInThrottle {
  return (shared ??= new SignInThrottle());
}
