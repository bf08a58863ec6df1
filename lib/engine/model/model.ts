// What the engine needs of a model, whatever its format: probabilities of the positive class for
// encoded rows, and, where the model has them, a TensorFlow.js graph (exact gradients for PGD and
// FGSM, tensor-side KernelSHAP masking) and a tree ensemble (exact TreeSHAP).

import type * as tf from "@tensorflow/tfjs";
import type { TreeEnsemble } from "../trees/ensemble";
import type { ModelFormat, TModelManifest } from "./manifest";

/** P(positive) of encoded inputs as a differentiable TensorFlow.js function. */
export interface TfGraph {
  readonly inputWidth: number;
  /** Floats per row of the largest tensor a forward pass makes (the widest layer, or the input):
   *  what bounds a call's rows on a GPU, whose buffers have a size limit. */
  readonly widest: number;
  /** [n, d] → [n] probabilities; call inside tf.tidy. */
  probability(x: tf.Tensor2D): tf.Tensor1D;
  /**
   * When the model starts with a dense layer, that layer's pre-activation affine map (kernel
   * [d, h], bias [h] or null) and the rest of the model from the pre-activation on
   * (probabilityFrom(x·kernel + bias) = probability(x)). KernelSHAP uses it to build the first
   * layer of every masked input from two small products instead of one large one.
   */
  readonly firstLayer?: { kernel: tf.Tensor2D; bias: tf.Tensor1D | null; probabilityFrom(pre: tf.Tensor2D): tf.Tensor1D; shallow?: ShallowRest };
  dispose(): void;
}

/** The rest of a one-hidden-layer model from the first layer's pre-activation on, when it is
 *  that simple: P = sigmoid(act(pre)·w2 + b2) (importance/dense-kernel.ts evaluates it). */
export interface ShallowRest {
  /** The first layer's activation. */
  hidden: "relu" | "linear";
  /** The output unit's weights ([hidden units, 1]) and bias ([1], or none). */
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D | null;
}

export type GradientSource =
  | { kind: "tfjs"; description: string }
  | { kind: "onnx-graph"; description: string; maxDifference: number }
  | { kind: "none"; reason: string };

export interface AuditModel {
  readonly format: ModelFormat;
  readonly manifest: TModelManifest;
  /** Width of the encoded input (one-hot blocks expanded). */
  readonly inputWidth: number;
  /** What the model outputs and how it becomes a probability (for reports). */
  readonly outputDescription: string;
  /** P(positive) for `rows` encoded rows (row-major, rows × inputWidth). */
  predict(x: Float32Array, rows: number): Promise<Float64Array>;
  /** predict's values as the float32s they are, for models that compute in float32 (TF.js):
   *  saves the widening copy where many calls are scored (permutation importance). */
  predictFloat32?(x: Float32Array, rows: number): Promise<Float32Array>;
  /** The model as TensorFlow.js operations, when it can be expressed so (TF.js models, ONNX graphs
   *  of differentiable operators); null otherwise. */
  readonly graph: TfGraph | null;
  /** Where the attack gradients come from, or why there are none. */
  readonly gradients: GradientSource;
  /** The model's trees over the encoded inputs, for tree ensembles; null otherwise. */
  readonly trees: TreeEnsemble | null;
  dispose(): void;
}

/** Attacks that need gradients, and those that only query the model. */
export const GRADIENT_ATTACKS = ["pgd", "fgsm"] as const;
export const QUERY_ATTACKS = ["random", "boundary"] as const;
