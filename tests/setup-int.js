// Integration tests get their own empty data dir (database, uploads) per test file.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
process.env.ASSAY_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "assay-int-data-"));
