// DejaVu fonts for the PDF (the standard PDF fonts lack ≥ ≤ → ε σ φ ✓), from the npm package
// dejavu-fonts-ttf, registered once per process; and the line-breaking rule (no hyphenation of
// ordinary words, long tokens such as paths may break after / _ . -).

import { createRequire } from "node:module";
import path from "node:path";
import type { Pdf } from "./kit";
import { breakPoints } from "./model/text";
import { FONT } from "./theme";

let registered = false;

/**
 * Path of a DejaVu font file. Resolved from this module first; from the working directory when
 * a bundler has replaced __filename (a Next.js server chunk may not sit beside node_modules).
 */
function fontPath(file: string): string {
  const id = `dejavu-fonts-ttf/ttf/${file}.ttf`;
  const bases = [typeof __filename === "string" ? __filename : null, path.join(process.cwd(), "package.json")].filter((b): b is string => b !== null);
  let last: unknown = null;
  for (const base of bases) {
    try {
      return createRequire(base).resolve(id);
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`renderReportPdf: font ${id} not found (is the npm package dejavu-fonts-ttf installed?): ${(last as Error | null)?.message ?? ""}`);
}

export function registerFonts(pdf: Pdf): void {
  if (registered) return;
  pdf.Font.register({
    family: FONT.sans,
    fonts: [
      { src: fontPath("DejaVuSans") },
      { src: fontPath("DejaVuSans-Bold"), fontWeight: "bold" },
      { src: fontPath("DejaVuSans-Oblique"), fontStyle: "italic" },
      { src: fontPath("DejaVuSans-BoldOblique"), fontWeight: "bold", fontStyle: "italic" },
    ],
  });
  pdf.Font.register({ family: FONT.mono, fonts: [{ src: fontPath("DejaVuSansMono") }, { src: fontPath("DejaVuSansMono-Bold"), fontWeight: "bold" }] });
  pdf.Font.registerHyphenationCallback((word) => breakPoints(word));
  registered = true;
}
