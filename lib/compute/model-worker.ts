// A model worker: its own TensorFlow.js backend and its own copy of the model; answers predict
// and coalition tasks from the worker executor with plain typed arrays.

import { parentPort } from "node:worker_threads";
import { initBackend } from "../engine/backend";
import { loadModel, type LoadedModel } from "../engine/model/load";
import { predictProbabilities, rawThroughput } from "../engine/model/predict";
import { createCoalitionEvaluator, type CoalitionEvaluator } from "../engine/shap/evaluate";
import { rawGradientThroughput, runAttack } from "../engine/robustness/attack";
import type { FromWorker, ToWorker } from "./protocol";

const port = parentPort!;
let model: LoadedModel | null = null;
const jobs = new Map<number, CoalitionEvaluator>();

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
          modelJson: msg.files.modelJson,
          manifest: msg.files.manifest,
          label: msg.files.label,
          readWeights: async (p) => {
            const shard = msg.files.shards[p];
            if (!shard) throw new Error(`missing weight shard ${p}`);
            return shard;
          },
        });
        send({ type: "ready", backend: backend.name });
        return;
      }
      case "predict": {
        const out = predictProbabilities(model!, msg.x, msg.rows);
        send({ type: "result", id: msg.id, out }, [out.buffer as ArrayBuffer]);
        return;
      }
      case "job":
        jobs.get(msg.jobId)?.dispose();
        jobs.set(msg.jobId, createCoalitionEvaluator(model!, msg));
        return;
      case "raw": {
        send({ type: "result", id: msg.id, out: Float64Array.of(rawThroughput(model!, msg.rows, msg.iterations, msg.mode)) });
        return;
      }
      case "attack": {
        const result = runAttack(model!, msg.job, (fraction) => send({ type: "progress", id: msg.id, fraction }));
        send({ type: "attackResult", id: msg.id, result }, [result.flipped.buffer, result.minEpsilon.buffer, result.points.buffer, result.scores.buffer] as ArrayBuffer[]);
        return;
      }
      case "rawGradient": {
        send({ type: "result", id: msg.id, out: Float64Array.of(rawGradientThroughput(model!, msg.rows, msg.iterations)) });
        return;
      }
      case "drop":
        jobs.get(msg.jobId)?.dispose();
        jobs.delete(msg.jobId);
        return;
      case "coalitions": {
        const job = jobs.get(msg.jobId);
        if (!job) throw new Error(`unknown coalition job ${msg.jobId}`);
        const out = job.evaluate(msg.x, msg.rows);
        send({ type: "result", id: msg.id, out }, [out.buffer as ArrayBuffer]);
        return;
      }
    }
  } catch (e) {
    send({ type: "error", id, message: (e as Error).message });
  }
});
