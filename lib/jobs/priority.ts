// Background audits run at a lower CPU priority than the web server, so a page or an API answer
// does not wait behind a SHAP run for a core. On Linux the nice value belongs to each thread and
// threads inherit it from the thread that creates them: every thread the process already has
// (libuv's pool, V8's platform threads) is reniced through /proc/self/task, and the worker
// threads an analysis starts later inherit the value from the main thread.

import fs from "node:fs";
import os from "node:os";

/** Sets every current thread of this process to `nice` (0–19); returns how many were changed. */
export function lowerPriority(nice: number): number {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new Error(`nice must be an integer from 0 to 19, not ${nice}`);
  let tids: number[] = [];
  try {
    tids = fs.readdirSync("/proc/self/task").map(Number).filter(Number.isInteger);
  } catch {
    // not Linux: the process as a whole
  }
  if (tids.length === 0) {
    os.setPriority(nice);
    return 1;
  }
  let changed = 0;
  for (const tid of tids) {
    try {
      // lowering priority needs no privilege; raising it back would
      if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
      changed++;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return changed;
}
