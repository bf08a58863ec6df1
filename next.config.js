// Next.js configuration. Native and TensorFlow.js packages stay out of the bundle: the engine
// runs in the CLI and the worker, and the database driver is a native addon.

const { securityHeaders } = require("./lib/http/security-headers");

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "bullmq",
    "ioredis",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-backend-webgpu",
    "webgpu",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-node-gpu",
    "onnxruntime-node",
    "protobufjs",
  ],
  typedRoutes: false,
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(process.env.NODE_ENV !== "production") }];
  },
};

module.exports = nextConfig;
