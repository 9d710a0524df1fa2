// Inlay hints: what the API server and the data plane fill in that the YAML does not say.
// - after `spec:` of a policy without `policyTypes`: the defaulted `policyTypes` (docs/semantics.md C.3: egress
//   rules without policyTypes also isolate ingress);
// - after a named `port:`: the numbers it resolves to on the rule's destinations (ingress: the
//   selected pods; egress: the pods the peers match), or that it resolves nowhere.
// Pure: (file, world, range) -> hints. Editors hide them with `editor.inlayHints.enabled`.

import type { InlayHint, MarkupContent, Range } from 'vscode-languageserver-types';
import { InlayHintKind, MarkupKind } from 'vscode-languageserver-types';
import { resolveNamedPort } from '../analysis/evaluate';
import { documentObjects, normalizedPolicy } from '../analysis/world';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import { get, getEntry } from '../model/tree';
import { plural } from '../model/words';
import type { FeatureContext } from './context';
import { featureIndexOf } from './featureIndex';
import { typesOf, typesSentence } from './phrasing';
import { writePolicyTypesEdits } from './fixes/policyTypes';
import { destinations, namedPortLines } from './hover';

function markdown(lines: readonly string[]): MarkupContent {
  return { kind: MarkupKind.Markdown, value: lines.join('\n') };
}

/** The documents that meet the range (documents are in file order: no scan of the whole file). */
function documentsIn(file: ManifestFile, range: Range | undefined): readonly ManifestDocument[] {
  if (!range) return file.documents;
  const first = documentAtLine(file, range.start.line)?.index ?? 0;
  const out: ManifestDocument[] = [];
  for (let i = first; i < file.documents.length && file.documents[i].startLine <= range.end.line; i++) {
    out.push(file.documents[i]);
  }
  return out;
}

export function inlayHints(ctx: FeatureContext, range?: Range): InlayHint[] {
  const out: InlayHint[] = [];
  const ix = featureIndexOf(ctx.world);
  const json = ctx.file.format === 'json';
  for (const doc of documentsIn(ctx.file, range)) {
    if (ctx.token?.isCancellationRequested) break;
    for (const obj of documentObjects(ctx.file.uri, doc)) {
      if (obj.type !== 'policy') continue;
      const p = ix.policyOf(obj) ?? normalizedPolicy(ctx.world, obj);
      // 1. the defaulted policyTypes, after `spec:`
      const spec = getEntry(obj.node, 'spec');
      if (ctx.settings.inlayHints.policyTypes && p.typesReason !== 'explicit' && spec && spec.value.t === 'map') {
        const colon = doc.text.indexOf(':', spec.ke);
        const eol = doc.text.indexOf('\n', spec.ke);
        const at = json || colon === -1 ? (eol === -1 ? doc.text.length : eol) : colon + 1;
        const lineEnd = doc.text.slice(0, at).replace(/\r$/, '').length; // before a CR of a CRLF line
        // double-clicking the hint writes it (the edit of the NPP03 quick fix, same style)
        const edits = writePolicyTypesEdits(doc, p, ctx.settings);
        out.push({
          position: doc.positionAt(lineEnd),
          label: `policyTypes: [${typesOf(p).join(', ')}]`,
          kind: InlayHintKind.Type,
          paddingLeft: true,
          tooltip: markdown([
            `**Effective policyTypes** (not written): ${typesSentence(p)}.`,
            '',
            `Write \`policyTypes\` to say which directions this policy isolates${edits ? ' (double-click this hint to insert it)' : ''}.`,
          ]),
          ...(edits
            ? {
                textEdits: edits.map((ed) => ({
                  range: { start: doc.positionAt(ed.s), end: doc.positionAt(ed.e) },
                  newText: ed.text,
                })),
              }
            : {}),
        });
      }
      // 2. named ports, after their value
      if (!ctx.settings.inlayHints.namedPorts) continue;
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const pe of rule.ports ?? []) {
          if (typeof pe.port !== 'string') continue;
          const value = pe.node.t === 'map' ? get(pe.node, 'port') : undefined;
          if (!value) continue;
          const label = namedPortLabel(ctx, p, rule, pe);
          if (!label) continue;
          out.push({
            position: doc.positionAt(value.e),
            label,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: markdown(namedPortLines(ctx, p, rule, pe)),
          });
        }
      }
    }
  }
  return out;
}

type Rule = Parameters<typeof destinations>[2];
type Port = NonNullable<Rule['ports']>[number];

/** `→ 8080`, `→ 8080 | 9090`, `→ 8080 (not on 1 of 3)`, `→ resolves nowhere`. */
function namedPortLabel(
  ctx: FeatureContext,
  p: Parameters<typeof destinations>[1],
  rule: Rule,
  pe: Port,
): string | undefined {
  const dst = destinations(ctx, p, rule);
  if (dst.externalOnly) return '→ nothing: ipBlock destinations have no named ports';
  const numbers = new Set<number>();
  let missing = 0;
  let seen = 0;
  for (const w of dst.workloads) {
    const nums = resolveNamedPort(w, pe.port as string, pe.protocol);
    if (!nums.length) {
      missing++;
      continue;
    }
    seen++;
    for (const n of nums) numbers.add(n);
  }
  if (!numbers.size) return dst.workloads.length || !dst.any ? '→ resolves nowhere' : undefined;
  const list = [...numbers].sort((a, b) => a - b);
  const shown = list.length > 4 ? `${list.slice(0, 3).join(' | ')} | +${list.length - 3}` : list.join(' | ');
  const gap = missing && !dst.any ? ` (not on ${missing} of ${plural(missing + seen, 'workload')})` : '';
  return `→ ${shown}${gap}`;
}
