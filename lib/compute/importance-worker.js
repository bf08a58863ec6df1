// Worker-thread entry: registers the TypeScript loader, then runs importance-worker.ts.
require("tsx/cjs/api").register({ tsconfig: require("node:path").join(__dirname, "..", "..", "tsconfig.json") });
require("./importance-worker.ts");
