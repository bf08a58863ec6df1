// The table of contents' page numbers. Each section heading records the page it lands on while
// the renderer lays out the pages; the contents page prints those numbers in the renderer's
// final pass. This decides whether what it printed is complete and right, or whether the
// document needs a second pass with the first pass's page numbers.

export interface TocPass {
  /** Section id → page, as recorded by the headings. */
  marks: ReadonlyMap<string, number>;
  /** Section id → page the contents page printed in its final pass (undefined: printed blank). */
  seen: ReadonlyMap<string, number | undefined>;
}

/** True when every entry has a recorded page and the contents page printed exactly that page. */
export function tocComplete(ids: readonly string[], pass: TocPass): boolean {
  return ids.every((id) => pass.marks.has(id) && pass.seen.has(id) && pass.seen.get(id) === pass.marks.get(id));
}
