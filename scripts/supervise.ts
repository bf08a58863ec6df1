// Keeps a child process running: restarts it when it exits unexpectedly (after a delay that
// grows while it keeps crashing soon after starting, reset once it has run a while), until
// stop() is called. `npm start` supervises the web server and the job worker this way, so one
// crashed process (e.g. out of memory) never ends the other or the app.

import type { ChildProcess } from "node:child_process";

export interface SupervisorOptions {
  name: string;
  start: () => ChildProcess;
  log: (msg: string) => void;
  /** First restart delay; doubles on quick crashes up to maxDelayMs. */
  delayMs?: number;
  maxDelayMs?: number;
  /** A run at least this long counts as healthy and resets the delay. */
  healthyMs?: number;
}

export interface Supervisor {
  readonly current: ChildProcess;
  readonly restarts: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function supervise(opts: SupervisorOptions): Supervisor {
  const base = opts.delayMs ?? 2000;
  const maxDelay = opts.maxDelayMs ?? 60_000;
  const healthy = opts.healthyMs ?? 60_000;
  let delay = base;
  let stopping = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | null = null;
  let child: ChildProcess;
  const launch = () => {
    const startedAt = Date.now();
    child = opts.start();
    child.on("exit", (code, signal) => {
      if (stopping) return;
      delay = Date.now() - startedAt >= healthy ? base : Math.min(maxDelay, restarts === 0 ? base : delay * 2);
      opts.log(`the ${opts.name} exited (${signal ?? code}); restarting it in ${Math.round(delay / 1000)} s`);
      timer = setTimeout(() => {
        timer = null;
        if (stopping) return;
        restarts++;
        launch();
      }, delay);
    });
  };
  launch();
  return {
    get current() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill(signal);
      });
    },
  };
}
