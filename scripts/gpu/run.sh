#!/usr/bin/env bash
# The one command to run on a GPU machine (after scripts/gpu/pack.sh here; carry .gpu): unpacks
# Node.js, Dawn and the Vulkan loader, runs the GPU bench on wasm (every core) and on webgpu, and
# prints the table (also written to $OUT/gpu-bench.md when OUT is set, e.g. by the device tool).
#   bash scripts/gpu/run.sh [--quick | --smoke]
set -euo pipefail
cd "$(dirname "$0")/../.."
G=$PWD/.gpu
T=/tmp/assay-gpu
rm -rf "$T" && mkdir -p "$T"
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in "$G"/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then export VK_DRIVER_FILES=$icd; fi
done
if command -v node >/dev/null && [ -z "${ASSAY_GPU_CARRIED_NODE:-}" ]; then NODE=$(command -v node); else
  xz -dc "$G/node.xz" >"$T/node" && chmod +x "$T/node" && NODE=$T/node
fi
cp -r "$G/app" "$T/app"
xz -dc "$G/dawn.node.xz" >"$T/app/node_modules/webgpu/dist/linux-x64/dawn.node"
cd "$T/app"
{ command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; } || true
echo "node $("$NODE" --version), $(nproc) cores"
"$NODE" bench.js --backend wasm "$@" --out "$T/wasm.json"
if "$NODE" bench.js --backend webgpu "$@" --out "$T/webgpu.json"; then
  "$NODE" bench.js --table "$T/wasm.json" "$T/webgpu.json" | tee "$T/gpu-bench.md"
else
  echo "webgpu did not run (above: why); wasm alone:" >&2
  "$NODE" bench.js --table "$T/wasm.json" | tee "$T/gpu-bench.md"
fi
if [ -n "${OUT:-}" ]; then cp "$T"/*.json "$T/gpu-bench.md" "$OUT/"; fi
