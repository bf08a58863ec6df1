"use client";

// Reads a report.json or a PDF in the browser (nothing is uploaded), works out the report's
// SHA-256 — of the JSON's canonical form, or the one a PDF carries in its metadata — and opens
// /verify?sha256=… where the server says which audit it belongs to. A pasted hash goes straight there.

import { useRouter } from "next/navigation";
import { useState } from "react";
import { canonicalJson, reportHashInPdf } from "@/lib/report/canonical";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function VerifyForm({ initial }: { initial: string }) {
  const router = useRouter();
  const [hash, setHash] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = (h: string) => router.push(`/verify?sha256=${h}`);

  const onFile = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const isPdf = bytes.length > 4 && String.fromCharCode(...bytes.subarray(0, 5)) === "%PDF-";
      if (isPdf) {
        const h = reportHashInPdf(bytes);
        if (!h) throw new Error(`${file.name} is a PDF without an Assay report hash in its metadata (made by another tool, or by Assay before version 0.1 of sign-off): paste the report SHA-256 from its cover instead`);
        setHash(h);
        go(h);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new Error(`${file.name} is neither a PDF nor JSON`);
      }
      const h = await sha256Hex(canonicalJson(parsed));
      setHash(h);
      go(h);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form">
      <label className="field">
        <span>A report.json or an audit report PDF (read in your browser, not uploaded)</span>
        <input type="file" accept=".json,.pdf,application/json,application/pdf" onChange={(e) => void onFile(e.target.files?.[0])} disabled={busy} />
      </label>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          const h = hash.trim().toLowerCase();
          if (!/^[0-9a-f]{64}$/.test(h)) setError("a SHA-256 is 64 hexadecimal characters (0–9, a–f)");
          else {
            setError(null);
            go(h);
          }
        }}
      >
        <label className="field" style={{ flex: 1, minWidth: "16rem" }}>
          <span>…or the report SHA-256 (from the PDF&apos;s cover)</span>
          <input value={hash} onChange={(e) => setHash(e.target.value)} placeholder="64 hexadecimal characters" spellCheck={false} className="mono" />
        </label>
        <button className="btn btn-primary" type="submit" disabled={busy}>
          Verify
        </button>
      </form>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
