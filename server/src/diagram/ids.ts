// Mermaid ids. An id is derived from what it names (a slug of a name and a hash of a key), never
// from the drawing order, so that a node or an arrow keeps its id across renders while the thing
// it stands for stays (the panel keeps its selection and the SVG its element ids). An IdAllocator
// is one id space (the nodes, the arrows): it hands out a base id once, and `base_2`, `base_3`…
// on the rare clash of two hashes.

/** FNV-1a of the UTF-16 code units, base 36. */
export function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** A readable id part: lower-case letters and digits joined by `_`, at most 24 characters. */
export function slug(s: string): string {
  const x = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return x.slice(0, 24).replace(/_+$/, '') || 'x';
}

/** Unique ids within one id space. */
export class IdAllocator {
  private readonly used = new Set<string>();

  /** `base` if it is free, else `base_2`, `base_3`… (the first free one); the id is then taken. */
  take(base: string): string {
    let id = base;
    for (let i = 2; this.used.has(id); i++) id = `${base}_${i}`;
    this.used.add(id);
    return id;
  }
}
