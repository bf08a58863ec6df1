// What every piece of the document receives: the renderer's primitives and d3's scales, both
// loaded at run time by render.ts (they are ES modules; this project runs as CommonJS), and the
// page marks that fill in the table of contents. Type-only imports: nothing here loads them.

export type Pdf = typeof import("@react-pdf/renderer");
export type D3 = Pick<typeof import("d3"), "scaleLinear" | "line">;

export interface Kit {
  pdf: Pdf;
  d3: D3;
  /** Section id → page number, written by each section's heading while pages are laid out. */
  marks: Map<string, number>;
  /** Page numbers known before rendering (second pass), used when `marks` was incomplete. */
  knownPages: ReadonlyMap<string, number> | null;
  /** What the table of contents printed in its last (final) layout pass, per section id. */
  toc: { seen: Map<string, number | undefined> };
}
