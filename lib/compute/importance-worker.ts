// The permutation-importance helper thread (importance-helper.ts): draws a plan's permutations
// into shared slots, tells the thread that runs the model, and scores the probabilities it
// leaves in the slots. Only the engine's pure code is loaded here (no TensorFlow.js, no model).

import { parentPort } from "node:worker_threads";
import { planGroups, scoreProbabilities, type PermutedPlan } from "../engine/importance/permutation";
import { HELPER_SLOTS, slotViews, type FromHelper, type ToHelper } from "./importance-helper";

const port = parentPort!;

interface Run {
  id: number;
  plan: PermutedPlan;
  y: Uint8Array;
  w: Float64Array | null;
  views: ReturnType<typeof slotViews>;
  /** Repeats and groups left to hand out, drawn into the slot given before each next(). */
  groups: Generator<{ r: number; js: number[] }>;
  target: { slot: number };
  freeSlots: number[];
  exhausted: boolean;
  /** The baseline's score once computed. */
  baseline: number | null;
  scores: number[][];
}

let run: Run | null = null;

function* allGroups(plan: PermutedPlan, views: ReturnType<typeof slotViews>, target: { slot: number }): Generator<{ r: number; js: number[] }> {
  // planGroups draws each group into the buffers it is given when it draws: those of the slot
  // that is free at that moment (the array below is refilled before every draw)
  const buffers: Int32Array[] = [];
  for (let r = plan.r0; r < plan.r1; r++) {
    const it = planGroups(plan, r, buffers);
    for (;;) {
      buffers.length = 0;
      buffers.push(...views.perms[target.slot]!);
      const g = it.next();
      if (g.done) break;
      yield { r, js: g.value.js };
    }
  }
}

function send(msg: FromHelper): void {
  port.postMessage(msg);
}

function pump(s: Run): void {
  while (!s.exhausted && s.freeSlots.length > 0) {
    s.target.slot = s.freeSlots[s.freeSlots.length - 1]!;
    const next = s.groups.next();
    if (next.done) {
      s.exhausted = true;
      break;
    }
    const slot = s.freeSlots.pop()!;
    send({ type: "group", run: s.id, r: next.value.r, js: next.value.js, slot });
  }
  if (s.exhausted && s.freeSlots.length === HELPER_SLOTS && s.baseline !== null) {
    send({ type: "done", run: s.id, baseline: s.baseline, scores: s.scores });
    run = null;
  }
}

/** Compiles this thread's hot code before the first run needs it (it starts while the audit's
 *  data loads): two plans' draws and AUCs on 10,000 synthetic rows. */
function warmUp(): void {
  const size = 10_000;
  const y = new Uint8Array(size);
  const p = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    y[i] = i % 3 === 0 ? 1 : 0;
    p[i] = ((i * 7919) % size) / size;
  }
  for (let k = 0; k < 2; k++) {
    const plan: PermutedPlan = { seed: k, r0: 0, r1: 1, size, features: 2, group: 2, scoring: "roc_auc", threshold: 0.5 };
    for (const { perms } of planGroups(plan, 0, null)) for (const q of perms) scoreProbabilities("roc_auc", p.map((_, i) => p[q[i]!]!), y, null, 0.5);
  }
}

port.on("message", (msg: ToHelper) => {
  try {
    if (msg.type === "start") {
      const { plan, y, w } = msg;
      const views = slotViews(msg.perms, msg.scores, plan);
      const target = { slot: 0 };
      run = {
        id: msg.run,
        plan,
        y,
        w,
        views,
        groups: allGroups(plan, views, target),
        target,
        freeSlots: Array.from({ length: HELPER_SLOTS }, (_, k) => HELPER_SLOTS - 1 - k),
        exhausted: false,
        baseline: null,
        scores: Array.from({ length: plan.features }, () => new Array<number>(plan.r1 - plan.r0).fill(NaN)),
      };
      const s = run;
      pump(s); // the first calls' permutations first: the model thread waits for them
      s.baseline = scoreProbabilities(plan.scoring, msg.baseline, y, w, plan.threshold);
      pump(s);
    } else if (msg.type === "scores" && run?.id === msg.run) {
      const s = run;
      const { size, scoring, threshold } = s.plan;
      const p = msg.float32 ? s.views.scores32[msg.slot]! : s.views.scores64[msg.slot]!;
      for (let g = 0; g < msg.js.length; g++) {
        s.scores[msg.js[g]!]![msg.r - s.plan.r0] = scoreProbabilities(scoring, p.subarray(g * size, (g + 1) * size), s.y, s.w, threshold);
      }
      s.freeSlots.push(msg.slot);
      send({ type: "scored", run: s.id, count: msg.js.length });
      pump(s);
    } else if (msg.type === "stop") run = null;
  } catch (e) {
    const id = run?.id ?? null;
    run = null;
    send({ type: "error", run: id, message: e instanceof Error ? e.message : String(e) });
  }
});

warmUp();
