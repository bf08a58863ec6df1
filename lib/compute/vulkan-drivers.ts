// Whether this machine has a Vulkan driver for a GPU: the automatic backend chain only loads Dawn
// (and asks it for an adapter) when it does. Without one, Dawn prints "Couldn't load Vulkan" on
// every start (no Vulkan loader) or finds only a software rasteriser, which the chain refuses
// anyway; either way the look costs 0.1–0.4 s per process. The Vulkan loader's own search is
// followed: driver manifests (*.json) in vulkan/icd.d under $XDG_CONFIG_DIRS (default /etc/xdg),
// /etc, $XDG_DATA_DIRS (default /usr/local/share:/usr/share); VK_DRIVER_FILES, VK_ICD_FILENAMES
// or VK_ADD_DRIVER_FILES name drivers directly, and are trusted as they are. A hardware driver
// also needs its GPU: a render node /dev/dri/renderD* (Mesa's drivers, NVIDIA's with DRM) or
// /dev/nvidia<N> (NVIDIA's). Debian's mesa-vulkan-drivers installs the radeon, intel and other
// manifests beside lavapipe on every machine, GPU or not; without this check Dawn was loaded there
// and printed two warnings on every run. Linux only: Dawn reaches the GPU through Metal on macOS
// and Direct3D 12 on Windows, where the chain always looks.

import fs from "node:fs";
import path from "node:path";

type Env = Record<string, string | undefined>;

/** Drivers whose library is a CPU rasteriser (Mesa's lavapipe, SwiftShader). */
const SOFTWARE_DRIVER = /lvp|lavapipe|swiftshader/i;

export interface VulkanDrivers {
  /** Manifests found, with their driver library and whether it is a software rasteriser. */
  manifests: Array<{ file: string; library: string; software: boolean }>;
  /** GPU device nodes found (render nodes, NVIDIA's devices). */
  devices: string[];
  /** A hardware driver is installed and a GPU device is present, or drivers are named by the environment. */
  hardware: boolean;
}

/** GPU device nodes under `dev`: dri/renderD*, nvidia<N>. */
export function gpuDevices(dev = "/dev"): string[] {
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  return [...list(path.join(dev, "dri")).filter((f) => /^renderD\d+$/.test(f)).map((f) => path.join(dev, "dri", f)), ...list(dev).filter((f) => /^nvidia\d+$/.test(f)).map((f) => path.join(dev, f))].sort();
}

/** The directories the Vulkan loader reads driver manifests from, for this environment. */
export function driverDirs(env: Env = process.env): string[] {
  const config = (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":").filter(Boolean);
  const data = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [...config, "/etc", ...data].map((d) => path.join(d, "vulkan", "icd.d"));
}

export function vulkanDrivers(env: Env = process.env, dirs: string[] = driverDirs(env), dev = "/dev"): VulkanDrivers {
  const manifests: VulkanDrivers["manifests"] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
    } catch {
      continue; // no such directory
    }
    for (const name of names) {
      const file = path.join(dir, name);
      let library = "";
      try {
        library = String((JSON.parse(fs.readFileSync(file, "utf8")) as { ICD?: { library_path?: unknown } }).ICD?.library_path ?? "");
      } catch {
        // unreadable or not JSON: the loader skips it too
        continue;
      }
      manifests.push({ file, library, software: SOFTWARE_DRIVER.test(library) || SOFTWARE_DRIVER.test(name) });
    }
  }
  const named = Boolean(env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES || env.VK_ADD_DRIVER_FILES);
  const devices = gpuDevices(dev);
  return { manifests, devices, hardware: named || (manifests.some((m) => !m.software) && devices.length > 0) };
}

/** Whether the automatic chain should look for a GPU on this machine. */
export function gpuWorthLookingFor(platform: string = process.platform, env: Env = process.env, dirs?: string[], dev?: string): boolean {
  return platform !== "linux" || vulkanDrivers(env, dirs, dev).hardware;
}
