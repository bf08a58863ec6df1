#!/usr/bin/env bash
# Builds .gpu/ (git-ignored): everything scripts/gpu/run.sh needs on a GPU machine that has no
# Node.js and no network, under 64 MiB: this Node.js binary (xz), a bundle of the engine and the
# GPU bench (scripts/gpu/bench.ts) with its model worker, TensorFlow.js's wasm binaries, the webgpu
# backend, Dawn's dawn.node (xz) and the Vulkan loader's .deb.
#   bash scripts/gpu/pack.sh        then carry .gpu and run: bash scripts/gpu/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.gpu
APP=$OUT/app
rm -rf "$OUT"
mkdir -p "$APP/node_modules/webgpu/dist/linux-x64"
ESBUILD=node_modules/.bin/esbuild
common=(--bundle --platform=node "--target=node${NODE_VERSION:-20}" --format=cjs --log-level=error --external:onnxruntime-node --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu)

# the bench and the model worker (the pool starts model-worker.js beside the bundle)
"$ESBUILD" bench=scripts/gpu/bench.ts model-worker=lib/compute/model-worker.ts "${common[@]}" --outdir="$APP"

# the wasm and webgpu backends as packages of their own (the engine requires them at run time, by
# name); TensorFlow.js keeps its engine and kernel registry on globalThis, so their copies of
# tfjs-core join the bundle's; the wasm binaries sit beside the backend that loads them
for pkg in tfjs-backend-wasm tfjs-backend-webgpu; do
  dir="$APP/node_modules/@tensorflow/$pkg"
  mkdir -p "$dir"
  "$ESBUILD" "node_modules/@tensorflow/$pkg/$(node -p "require('@tensorflow/$pkg/package.json').main")" "${common[@]}" --outfile="$dir/index.js"
  echo "{ \"name\": \"@tensorflow/$pkg\", \"main\": \"index.js\" }" >"$dir/package.json"
done
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$APP/node_modules/@tensorflow/tfjs-backend-wasm/"
echo "{ \"name\": \"webgpu\", \"version\": \"$(node -p 'require("webgpu/package.json").version')\" }" >"$APP/node_modules/webgpu/package.json"
xz -9 -T0 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$OUT/dawn.node.xz"

# Node.js itself and the Vulkan loader (the machine has the NVIDIA driver and its Vulkan ICD)
xz -9 -T0 -c "$(command -v node)" >"$OUT/node.xz"
(cd "$OUT" && { apt-get download libvulkan1 >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get download libvulkan1 >/dev/null 2>&1; }; }) || cp /var/cache/apt/archives/libvulkan1_*.deb "$OUT/"

du -sh "$OUT"
bytes=$(du -sb "$OUT" | cut -f1)
if [ "$bytes" -ge $((64 * 1024 * 1024)) ]; then
  echo "pack: $OUT is $bytes bytes, over the 64 MiB a device call may carry" >&2
  exit 1
fi
