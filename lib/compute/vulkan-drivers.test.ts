import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../engine/backend";
import { driverDirs, gpuWorthLookingFor, vulkanDrivers } from "./vulkan-drivers";

function icdDir(manifests: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "assay-icd-"));
  const dir = path.join(root, "vulkan", "icd.d");
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(manifests)) fs.writeFileSync(path.join(dir, name), body);
  return root;
}
/** A fake /dev with the given entries (dri/… for render nodes). */
function devDir(entries: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "assay-dev-"));
  for (const e of entries) {
    fs.mkdirSync(path.dirname(path.join(root, e)), { recursive: true });
    fs.writeFileSync(path.join(root, e), "");
  }
  return root;
}
const icd = (library: string) => JSON.stringify({ file_format_version: "1.0.0", ICD: { library_path: library, api_version: "1.3.0" } });

describe("vulkanDrivers: whether the automatic backend chain looks for a GPU", () => {
  it("searches where the Vulkan loader does: $XDG_CONFIG_DIRS, /etc, $XDG_DATA_DIRS (with the loader's defaults)", () => {
    expect(driverDirs({})).toEqual(["/etc/xdg/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d", "/usr/share/vulkan/icd.d"]);
    expect(driverDirs({ XDG_DATA_DIRS: "/a:/b", XDG_CONFIG_DIRS: "/c" })).toEqual(["/c/vulkan/icd.d", "/etc/vulkan/icd.d", "/a/vulkan/icd.d", "/b/vulkan/icd.d"]);
  });

  it("no driver, or only software rasterisers (lavapipe, SwiftShader): no GPU to look for", () => {
    const none = fs.mkdtempSync(path.join(os.tmpdir(), "assay-icd-none-"));
    expect(vulkanDrivers({}, [path.join(none, "vulkan", "icd.d")], devDir([]))).toEqual({ manifests: [], devices: [], hardware: false });
    const soft = icdDir({ "lvp_icd.x86_64.json": icd("libvulkan_lvp.so"), "vk_swiftshader_icd.json": icd("./libvk_swiftshader.so"), "broken.json": "{ not json", "README.txt": "x" });
    const found = vulkanDrivers({}, [path.join(none, "vulkan", "icd.d"), path.join(soft, "vulkan", "icd.d")], devDir(["dri/renderD128"]));
    expect(found.hardware).toBe(false);
    expect(found.manifests.map((m) => [path.basename(m.file), m.software])).toEqual([
      ["lvp_icd.x86_64.json", true],
      ["vk_swiftshader_icd.json", true],
    ]);
  });

  it("a hardware driver (NVIDIA's, Mesa's radeon) beside lavapipe with its GPU's device, or drivers named in the environment: look", () => {
    const none = fs.mkdtempSync(path.join(os.tmpdir(), "assay-icd-none-"));
    const nvidia = icdDir({ "nvidia_icd.json": icd("libGLX_nvidia.so.0"), "lvp_icd.json": icd("libvulkan_lvp.so") });
    const radeon = icdDir({ "radeon_icd.x86_64.json": icd("/usr/lib/x86_64-linux-gnu/libvulkan_radeon.so"), "lvp_icd.json": icd("libvulkan_lvp.so") });
    const under = (root: string) => [path.join(none, "vulkan", "icd.d"), path.join(root, "vulkan", "icd.d")];
    expect(vulkanDrivers({}, under(nvidia), devDir(["nvidia0", "nvidiactl"]))).toMatchObject({ devices: [expect.stringMatching(/nvidia0$/)], hardware: true });
    expect(vulkanDrivers({}, under(radeon), devDir(["dri/card0", "dri/renderD128"]))).toMatchObject({ devices: [expect.stringMatching(/dri\/renderD128$/)], hardware: true });
    for (const v of ["VK_DRIVER_FILES", "VK_ICD_FILENAMES", "VK_ADD_DRIVER_FILES"]) expect(vulkanDrivers({ [v]: "/opt/x/icd.json" }, [], devDir([])).hardware).toBe(true);
  });

  it("hardware drivers without a GPU device (Debian's mesa-vulkan-drivers on a machine with no GPU, as CI): no look", () => {
    const none = fs.mkdtempSync(path.join(os.tmpdir(), "assay-icd-none-"));
    const mesa = icdDir({ "radeon_icd.x86_64.json": icd("libvulkan_radeon.so"), "intel_icd.x86_64.json": icd("libvulkan_intel.so"), "lvp_icd.x86_64.json": icd("libvulkan_lvp.so") });
    const found = vulkanDrivers({}, [path.join(none, "vulkan", "icd.d"), path.join(mesa, "vulkan", "icd.d")], devDir(["dri/card0", "null", "nvidiactl"]));
    expect(found.manifests.filter((m) => !m.software)).toHaveLength(2);
    expect(found).toMatchObject({ devices: [], hardware: false });
    expect(gpuWorthLookingFor("linux", {}, [path.join(mesa, "vulkan", "icd.d")], devDir([]))).toBe(false);
  });

  it("only on Linux: Dawn reaches the GPU through Metal on macOS and Direct3D 12 on Windows", () => {
    const none = fs.mkdtempSync(path.join(os.tmpdir(), "assay-icd-none-"));
    const dirs = [path.join(none, "vulkan", "icd.d")];
    expect(gpuWorthLookingFor("linux", {}, dirs, devDir([]))).toBe(false);
    expect(gpuWorthLookingFor("darwin", {}, dirs, devDir([]))).toBe(true);
    expect(gpuWorthLookingFor("win32", {}, dirs, devDir([]))).toBe(true);
  });

  it("with probeGpu false the automatic chain never loads Dawn (nothing printed, no time spent) and starts wasm", async () => {
    const g = globalThis as { navigator?: { gpu?: unknown } };
    expect(g.navigator?.gpu).toBeUndefined();
    const info = await initBackend(undefined, { probeGpu: false });
    expect(info.name).toBe("wasm");
    expect(info.adapter).toBeUndefined();
    expect(g.navigator?.gpu).toBeUndefined(); // Dawn installs navigator.gpu as soon as it loads
  });
});
