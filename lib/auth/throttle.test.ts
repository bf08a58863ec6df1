import { SignInThrottle, clientIp } from "./throttle";

describe("SignInThrottle", () => {
  let t = 0;
  const limits = { perAccount: 3, perIp: 5, windowMs: 60_000, concurrent: 2 };
  const make = () => new SignInThrottle(limits, () => t);
  beforeEach(() => {
    t = 1_000_000;
  });

  it("refuses an account after its failures in the window, with the seconds until the oldest ages out", () => {
    const th = make();
    for (let i = 0; i < 3; i++) {
      const d = th.begin("Ada@x.example", "1.1.1.1");
      expect(d.ok).toBe(true);
      if (d.ok) d.release();
      th.failed("ada@x.example", `10.0.0.${i}`);
      t += 10_000;
    }
    // failures at 0 s, 10 s, 20 s; now 30 s: the first ages out at 60 s
    expect(th.begin("ada@x.example", "9.9.9.9")).toEqual({ ok: false, reason: "account", retryAfterSeconds: 30 });
    // another account from the same IPs is not affected
    expect(th.begin("bob@x.example", "10.0.0.1").ok).toBe(true);
    t += 30_000;
    expect(th.begin("ada@x.example", "9.9.9.9").ok).toBe(true);
  });

  it("refuses an IP spraying many accounts", () => {
    const th = make();
    for (let i = 0; i < 5; i++) th.failed(`user${i}@x.example`, "6.6.6.6");
    expect(th.begin("new@x.example", "6.6.6.6")).toMatchObject({ ok: false, reason: "ip" });
    expect(th.begin("new@x.example", "7.7.7.7").ok).toBe(true);
  });

  it("a success clears the account's failures", () => {
    const th = make();
    th.failed("ada@x.example", "1.1.1.1");
    th.failed("ada@x.example", "1.1.1.1");
    th.succeeded("ada@x.example");
    th.failed("ada@x.example", "1.1.1.1");
    th.failed("ada@x.example", "1.1.1.1");
    expect(th.begin("ada@x.example", "2.2.2.2").ok).toBe(true);
  });

  it("caps concurrent password checks, and release frees a slot once", () => {
    const th = make();
    const a = th.begin("a@x.example", "1.1.1.1");
    const b = th.begin("b@x.example", "1.1.1.2");
    expect(th.begin("c@x.example", "1.1.1.3")).toEqual({ ok: false, reason: "busy", retryAfterSeconds: 1 });
    if (a.ok) {
      a.release();
      a.release();
    }
    const c = th.begin("c@x.example", "1.1.1.3");
    expect(c.ok).toBe(true);
    expect(th.begin("d@x.example", "1.1.1.4").ok).toBe(false);
    void b;
  });

  it("reads the client IP from the proxy's headers", () => {
    expect(clientIp(new Request("http://x/", { headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1" } }))).toBe("203.0.113.9");
    expect(clientIp(new Request("http://x/"))).toBe("unknown");
  });
});
