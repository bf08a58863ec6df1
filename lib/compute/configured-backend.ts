// The TensorFlow.js backend as this installation is configured (ASSAY_BACKEND,
// ASSAY_ALLOW_SOFTWARE_GPU). Kept apart from the thread pool so the app's routes can start the
// backend without bundling the pool's worker.

import { initBackend, type BackendInfo } from "../engine/backend";
import { getEnv } from "../env";
import { invalidInput } from "../errors";
import { gpuWorthLookingFor } from "./vulkan-drivers";

/** The backend ASSAY_BACKEND names (or the first that works, looking for a GPU only where a
 *  hardware Vulkan driver is installed), with ASSAY_ALLOW_SOFTWARE_GPU; a named backend that
 *  cannot start is a configuration error that says why. */
export async function configuredBackend(): Promise<BackendInfo> {
  const env = getEnv();
  try {
    // the automatic chain looks for a GPU only where a hardware Vulkan driver is installed
    const probeGpu = env.ASSAY_BACKEND ? true : gpuWorthLookingFor();
    return await initBackend(env.ASSAY_BACKEND, { allowSoftwareGpu: env.ASSAY_ALLOW_SOFTWARE_GPU, probeGpu });
  } catch (e) {
    if (!env.ASSAY_BACKEND) throw e;
    const why = (e as Error).message.replace(/^No TensorFlow.js backend could start:\s*/, "").replace(new RegExp(`^${env.ASSAY_BACKEND}: `), "");
    throw invalidInput(`ASSAY_BACKEND=${env.ASSAY_BACKEND} cannot start: ${why}`);
  }
}
