// A model worker: its own model copy (and TensorFlow.js backend, onnxruntime session); answers
// predict, coalition, TreeSHAP and attack tasks from the worker executor with plain typed arrays.

import { parentPort } from "node:worker_threads";
import { initBackend } from "../engine/backend";
import { createTreeShapRunner, localImportanceRepeats } from "../engine/executor";
import { loadModel } from "../engine/model/load";
import type { AuditModel } from "../engine/model/model";
import { rawThroughput } from "../engine/model/predict";
import { createCoalitionEvaluator, type CoalitionEvaluator } from "../engine/shap/evaluate";
import { rawGradientThroughput, runAttack } from "../engine/robustness/attack";
import type { FromWorker, ToWorker } from "./protocol";

const port = parentPort!;
let model: AuditModel | null = null;
let backendName = "";
const jobs = new Map<number, CoalitionEvaluator>();
const treeJobs = new Map<number, ReturnType<typeof createTreeShapRunner>>();

function send(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

port.on("message", async (msg: ToWorker) => {
  const id = "id" in msg ? msg.id : null;
  try {
    switch (msg.type) {
      case "init": {
        const backend = await initBackend(msg.backend);
        model = await loadModel({
          manifest: msg.files.manifest,
          label: msg.files.label,
          readFile: async (name) => {
            const f = msg.files.files[name];
            if (!f) throw new Error(`missing model file ${name}`);
            return f;
          },
          onnx: { threads: 1 },
        });
        backendName = backend.name;
        send({ type: "ready", backend: backend.name });
        return;
      }
      case "predict": {
        const out = await model!.predict(msg.x, msg.rows);
        send({ type: "result", id: msg.id, out }, [out.buffer as ArrayBuffer]);
        return;
      }
      case "job":
        jobs.get(msg.jobId)?.dispose();
        jobs.set(msg.jobId, createCoalitionEvaluator(model!, msg));
        return;
      case "treeJob":
        treeJobs.set(msg.jobId, createTreeShapRunner(model!, msg));
        return;
      case "treeRows": {
        const run = treeJobs.get(msg.jobId);
        if (!run) throw new Error(`unknown TreeSHAP job ${msg.jobId}`);
        const out = run(msg.x, msg.rows);
        send({ type: "result", id: msg.id, out }, [out.buffer as ArrayBuffer]);
        return;
      }
      case "raw": {
        send({ type: "result", id: msg.id, out: Float64Array.of(await rawThroughput(model!, msg.rows, msg.iterations, msg.mode)) });
        return;
      }
      case "attack": {
        const result = await runAttack(model!, msg.job, (fraction) => send({ type: "progress", id: msg.id, fraction }));
        send({ type: "attackResult", id: msg.id, result }, [result.flipped.buffer, result.minEpsilon.buffer, result.points.buffer, result.scores.buffer] as ArrayBuffer[]);
        return;
      }
      case "importance": {
        // the rows arrive in shared memory, which onnxruntime refuses as tensor data ("Invalid argument"): a local copy
        const result = await localImportanceRepeats(model!, backendName, msg.job, new Float32Array(msg.x), msg.r0, msg.r1, (done, total) => send({ type: "progress", id: msg.id, fraction: done / total }));
        send({ type: "importanceResult", id: msg.id, result });
        return;
      }
      case "rawGradient": {
        send({ type: "result", id: msg.id, out: Float64Array.of(await rawGradientThroughput(model!, msg.rows, msg.iterations, msg.movable)) });
        return;
      }
      case "drop":
        jobs.get(msg.jobId)?.dispose();
        jobs.delete(msg.jobId);
        treeJobs.delete(msg.jobId);
        return;
      case "coalitions": {
        const job = jobs.get(msg.jobId);
        if (!job) throw new Error(`unknown coalition job ${msg.jobId}`);
        const out = await job.evaluate(msg.x, msg.rows);
        send({ type: "result", id: msg.id, out }, [out.buffer as ArrayBuffer]);
        return;
      }
    }
  } catch (e) {
    send({ type: "error", id, message: (e as Error).message });
  }
});
