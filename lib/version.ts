// The engine version recorded in every report (the package version).
import pkg from "../package.json";

export const ENGINE_VERSION: string = pkg.version;
