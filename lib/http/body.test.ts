import { assertContentLength, readJsonBody, readMultipart } from "./body";

/** A body stream that yields `chunk`-byte chunks forever (or up to `total`), counting what was pulled. */
function endless(chunk = 64 * 1024, total = Infinity) {
  const pulled = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled.bytes >= total) return c.close();
      const n = Math.min(chunk, total - pulled.bytes);
      pulled.bytes += n;
      c.enqueue(new Uint8Array(n).fill(97));
    },
  }, { highWaterMark: 0 }); // nothing is pulled until someone reads
  return { stream, pulled };
}

function multipart(parts: Array<{ name: string; filename?: string; data: string | Uint8Array }>): { body: Uint8Array<ArrayBuffer>; type: string } {
  const boundary = "----assaytestboundary";
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}\r\n${p.filename ? "Content-Type: application/octet-stream\r\n" : ""}\r\n`));
    chunks.push(typeof p.data === "string" ? enc.encode(p.data) : p.data);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((s, c) => s + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    body.set(c, o);
    o += c.byteLength;
  }
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const limits = { maxFileBytes: 1000, maxTotalBytes: 1500, maxFiles: 3, maxFieldBytes: 100, maxFields: 5, variable: "ASSAY_MAX_MODEL_BYTES" };

describe("request bodies with limits", () => {
  it("refuses a declared Content-Length over the limit before reading a byte (413)", async () => {
    const { stream, pulled } = endless();
    const req = new Request("http://x/", { method: "POST", body: stream, headers: { "content-length": String(10 * 1024 ** 3), "content-type": "application/json" }, duplex: "half" } as RequestInit);
    await expect(readJsonBody(req, 1024)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "the JSON body is larger than the limit of 1 KB" });
    expect(pulled.bytes).toBe(0);
    expect(() => assertContentLength(new Request("http://x/", { method: "POST", headers: { "content-length": "2048" } }), 1024, "the dataset", "ASSAY_MAX_DATASET_BYTES")).toThrow("the dataset is larger than the limit of 1 KB (ASSAY_MAX_DATASET_BYTES)");
  });

  it("stops reading an undeclared (chunked) JSON body at the first chunk over the cap", async () => {
    const { stream, pulled } = endless(1024);
    const req = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readJsonBody(req, 10 * 1024)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(pulled.bytes).toBeLessThanOrEqual(12 * 1024);
  });

  it("parses JSON within the cap, and says so when it is not JSON", async () => {
    expect(await readJsonBody(new Request("http://x/", { method: "POST", body: '{"threshold":0.4}' }))).toEqual({ threshold: 0.4 });
    await expect(readJsonBody(new Request("http://x/", { method: "POST", body: "{oops" }))).rejects.toMatchObject({ code: "INVALID_INPUT", message: "the request body is not valid JSON" });
  });

  it("parses multipart fields and files as they stream", async () => {
    const { body, type } = multipart([
      { name: "version", data: "v2" },
      { name: "files", filename: "model.json", data: '{"a":1}' },
      { name: "files", filename: "w.bin", data: new Uint8Array([1, 2, 3]) },
    ]);
    const form = await readMultipart(new Request("http://x/", { method: "POST", body, headers: { "content-type": type } }), limits);
    expect(form.text("version")).toBe("v2");
    expect(form.filesOf("files").map((f) => [f.name, Array.from(f.data)])).toEqual([
      ["model.json", Array.from(new TextEncoder().encode('{"a":1}'))],
      ["w.bin", [1, 2, 3]],
    ]);
  });

  it.each([
    ["one file over the per-file limit", [{ name: "files", filename: "big.bin", data: new Uint8Array(1001) }], 'the file "big.bin" is larger than the limit of 1 KB (ASSAY_MAX_MODEL_BYTES)'],
    ["files together over the total", [0, 1].map((i) => ({ name: "files", filename: `part${i}.bin`, data: new Uint8Array(800) })), "the files together are larger than the limit of 2 KB (ASSAY_MAX_MODEL_BYTES)"],
    ["too many files", [0, 1, 2, 3].map((i) => ({ name: "files", filename: `f${i}`, data: "x" })), "more than 3 files in one upload"],
    ["a field over its limit", [{ name: "manifest", data: "x".repeat(101) }], 'the field "manifest" is larger than the limit of 1 KB'],
  ])("refuses %s with 413", async (_what, parts, message) => {
    const { body, type } = multipart(parts as Array<{ name: string; filename?: string; data: string | Uint8Array }>);
    const req = new Request("http://x/", { method: "POST", body, headers: { "content-type": type } });
    await expect(readMultipart(req, limits)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: message.replace("are larger", "is larger") });
  });

  it("refuses a multipart body that is not multipart", async () => {
    await expect(readMultipart(new Request("http://x/", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }), limits)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
