// The documentation of a field, from its kind's schema: what hover shows on a key that no other
// hover explains (metadata.labels, annotations, and every field of a kind that has no
// explanations of its own yet). Pure.

import { type KindSchema, resolvePath, typeWords } from '../schema';
import type { PathSeg } from './cursor';
import { code } from './markdown';

/** Hover lines for the field a path ends at, or null when the path is not a documented field. */
export function fieldHover(schema: KindSchema, path: readonly PathSeg[]): string[] | null {
  const t = resolvePath(schema, path);
  if (!t || t.t !== 'field' || t.field.hover === false) return null;
  const f = t.field;
  const out = [`**${t.name}** (${typeWords(f.type)}${f.required ? ', required' : ''}): ${f.doc}`];
  if (f.enum) out.push('', `Values: ${f.enum.map(code).join(', ')} (case-sensitive).`);
  if (f.since) out.push('', `${f.since[0].toUpperCase()}${f.since.slice(1)}.`);
  return out;
}
