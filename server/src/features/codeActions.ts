// Quick fixes for diagnostics. Each fix is a minimal edit at exact offsets that keeps comments,
// quoting and indentation (see yamlEdit.ts); tests apply every fix and compare the text exactly.
// The fixes live in fixes/, one module per family; this module picks them by rule and turns them
// into LSP code actions.

import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import { documentObjects, normalizedPolicy, type World } from '../analysis/world';
import type { NormPolicy } from '../analysis/policy';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import type { NetpolSettings } from '../settings';
import { ADMIN_FIXES } from './fixes/admin';
import { defaultDenyFixes, dnsFix } from './fixes/dns';
import { addNamespaceFix, apiVersionFix } from './fixes/metadata';
import {
  addNamespaceSelectorFix,
  mergePeersFix,
  nameLabelFix,
  nullToEmptyFix,
  removeValuesFix,
  splitPeerFix,
} from './fixes/peers';
import { addTypeFix, policyTypesFixes } from './fixes/policyTypes';
import type { Fix, FixContext, FixTarget } from './fixes/support';
import {
  addPrefixFix,
  addUdpFix,
  canonicalCidrFix,
  caseFix,
  quoteFix,
  servicePortFixes,
  unquoteFix,
} from './fixes/values';
import { detectStyle } from './yamlEdit';

export type { Fix, FixTarget };

type FixMaker = (c: FixContext) => Fix[];

/** The fixes of each rule (the data of the diagnostic says which apply). */
const FIXES = new Map<string, FixMaker>([
  ['NPP03', (c) => policyTypesFixes(c, [['Egress'], ['Ingress', 'Egress']])],
  ['NPP05', (c) => policyTypesFixes(c, [['Ingress', 'Egress'], ['Egress']])],
  ['NPP04', addTypeFix],
  ['NPP10', dnsFix],
  ['NPP36', defaultDenyFixes],
  ['NPP09', addUdpFix],
  ['NPP11', servicePortFixes],
  ['NPP01', mergePeersFix],
  ['NPV14', splitPeerFix],
  ['NPP02', nullToEmptyFix],
  ['NPP24', nameLabelFix],
  ['NPP25', addNamespaceSelectorFix],
  ['NPV24', removeValuesFix],
  ['NPP19', canonicalCidrFix],
  ['NPV16', (c) => (c.t.data?.fix === 'addPrefix' ? addPrefixFix(c) : [])],
  ['NPD01', (c) => (c.t.data?.fix === 'quote' ? quoteFix(c) : c.t.data?.fix === 'unquote' ? unquoteFix(c) : [])],
  ['NPV08', (c) => (c.t.data?.fix === 'unquote' ? unquoteFix(c) : [])],
  ['NPV05', caseFix],
  ['NPV06', caseFix],
  ['NPV22', caseFix],
  ['NPP45', apiVersionFix],
  ['NPP34', addNamespaceFix],
  ...ADMIN_FIXES,
]);

/** The quick fixes for one finding. */
export function quickFixes(
  doc: ManifestDocument,
  target: FixTarget,
  policy: NormPolicy | undefined,
  settings: NetpolSettings,
): Fix[] {
  const make = FIXES.get(target.rule);
  if (!make || !doc.tree || target.s < 0 || target.e > doc.text.length) return [];
  return make({ text: doc.text, doc, st: detectStyle(doc.text), policy, settings, t: target });
}

function policyAt(file: ManifestFile, doc: ManifestDocument, world: World, off: number): NormPolicy | undefined {
  for (const o of documentObjects(file.uri, doc)) {
    if (o.type === 'policy' && o.node.s <= off && off <= o.node.e) return normalizedPolicy(world, o);
  }
  return undefined;
}

/** LSP code actions for the diagnostics in a range. */
export function codeActions(
  file: ManifestFile,
  _range: Range,
  diagnostics: readonly Diagnostic[],
  world: World,
  settings: NetpolSettings,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const diag of diagnostics) {
    if (diag.source !== 'netpol-lens' || typeof diag.code !== 'string') continue;
    const doc = documentAtLine(file, diag.range.start.line);
    if (!doc) continue;
    const s = doc.offsetAt(diag.range.start.line, diag.range.start.character);
    const e = doc.offsetAt(diag.range.end.line, diag.range.end.character);
    const data = (diag.data && typeof diag.data === 'object' ? diag.data : {}) as Record<string, unknown>;
    const fixes = quickFixes(doc, { rule: diag.code, s, e, data }, policyAt(file, doc, world, s), settings);
    for (const f of fixes) {
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diag],
        isPreferred: !!f.preferred,
        edit: {
          changes: {
            [file.uri]: f.edits.map((ed) => ({
              range: { start: doc.positionAt(ed.s), end: doc.positionAt(ed.e) },
              newText: ed.text,
            })),
          },
        },
      });
    }
  }
  return out;
}
