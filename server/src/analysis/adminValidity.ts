// Whether an admin-tier policy takes part in the analysis (docs/semantics.md D.1): the one question
// the engine asks of validation. A policy with an error of docs/semantics.md D.2 is left out, as the cluster would
// not have it, except for unknown fields, duplicate keys and a missing `pods` selector, which are
// reported but leave the policy in (read as a lenient client applies it).

import type { ManifestDocument } from '../model/document';
import { type PMap, str, get } from '../model/tree';
import { isAdminKind } from './adminKinds';
import type { Finding } from './findings';
import { validateAdmin } from './validateAdmin';

/**
 * The errors, with their document-relative ranges, that take the admin-tier policy `node` (a
 * document root or a List item) out of the analysis; empty when it takes part. A document with a
 * YAML syntax error cannot be applied either: pass `doc` to have that counted (a finding of rule
 * NPX03 at the first error). Objects of other kinds give no errors.
 */
export function adminValidationErrors(
  node: PMap,
  doc: ManifestDocument | null = null,
  inList = false,
): readonly Finding[] {
  const kind = str(get(node, 'kind'));
  if (!isAdminKind(kind)) return [];
  const r = validateAdmin(kind, node, doc, inList);
  if (doc && doc.syntaxErrors.length) {
    const e = doc.syntaxErrors[0];
    return [
      { rule: 'NPX03', severity: 'error', s: e.s, e: e.s, message: `YAML syntax error: ${e.message}` },
      ...r.removing,
    ];
  }
  return r.removing;
}
