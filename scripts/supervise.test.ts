import { spawn } from "node:child_process";
import { supervise } from "./supervise";

const node = (code: string) => spawn(process.execPath, ["-e", code], { stdio: "ignore" });
const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("supervise", () => {
  it("restarts a process that crashes, with a growing delay, and stops for good on stop()", async () => {
    const logs: string[] = [];
    let starts = 0;
    const sup = supervise({
      name: "web server",
      log: (m) => logs.push(m),
      delayMs: 50,
      maxDelayMs: 200,
      start: () => {
        starts++;
        // crashes at once the first three times, then stays up
        return node(starts <= 3 ? "process.exit(3)" : "setInterval(() => {}, 1000)");
      },
    });
    await until(() => starts === 4);
    expect(sup.restarts).toBe(3);
    expect(logs[0]).toBe("the web server exited (3); restarting it in 0 s");
    const live = sup.current;
    expect(live.exitCode).toBeNull();
    await sup.stop();
    expect(live.signalCode).toBe("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(starts).toBe(4); // not restarted after stop()
  });

  it("restarts a process killed by a signal (e.g. the OOM killer)", async () => {
    let starts = 0;
    const sup = supervise({ name: "worker", log: () => {}, delayMs: 20, start: () => (starts++, node("setInterval(() => {}, 1000)")) });
    await until(() => starts === 1 && sup.current.pid !== undefined);
    sup.current.kill("SIGKILL");
    await until(() => starts === 2);
    await sup.stop();
  });
});
