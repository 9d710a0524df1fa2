// Hovers and CodeLenses in a file that rendered environments read (a Kustomize base, a chart
// template): what each object becomes in each environment — "selects 3 workloads in
// clusters/prod, 2 in clusters/dev" — read from the rendered objects that come from the document
// (environments/session.ts renderedFrom). The plain world does not hold these files, so its
// answers about them would be wrong.

import type { CodeLens, Hover, Location } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import { inventoryOf } from '../analysis/inventory';
import { documentObjects, normalizedPolicy, type Workload, type World } from '../analysis/world';
import { renderedWorld } from '../environments/check';
import type { EnvironmentSession, RenderedRef } from '../environments/session';
import { treeCursor } from '../features/cursor';
import { dirWord, typesOf } from '../features/phrasing';
import { allowsPhrase } from '../features/policySummary';
import type { ManifestDocument, ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';
import { rangeIn } from '../model/spans';
import { plural } from '../model/words';
import { SHOW_DIAGRAM_COMMAND, SHOW_SELECTED_COMMAND } from '../protocol/commands';

/** One rendered counterpart of a source object. */
interface View {
  readonly env: string;
  readonly ref: RenderedRef;
  readonly world: World;
  readonly obj: K8sObject;
}

function viewsOf(
  session: EnvironmentSession,
  doc: ManifestDocument,
  src: K8sObject,
  defaultNamespace: string | undefined,
): View[] {
  const out: View[] = [];
  for (const ref of session.renderedFrom(doc)) {
    const r = ref.rendered;
    const rdoc = r.file.documents[ref.index];
    const obj = rdoc && documentObjects(r.file.uri, rdoc).find((o) => o.kind === src.kind);
    if (obj) out.push({ env: ref.env, ref, world: renderedWorld(r, defaultNamespace), obj });
  }
  return out.sort((a, b) => (a.env < b.env ? -1 : a.env > b.env ? 1 : 0));
}

function selectedIn(v: View): Workload[] {
  if (v.obj.type !== 'policy') return [];
  return inventoryOf(v.world).selectedBy(normalizedPolicy(v.world, v.obj));
}

function policiesOf(v: View): number {
  const w = v.world.workloads.find((x) => x.sources.some((s) => s === v.obj));
  if (!w) return 0;
  const inv = inventoryOf(v.world);
  return new Set([...inv.isolatedBy(w, 'Ingress'), ...inv.isolatedBy(w, 'Egress')]).size;
}

/** "selects 3 workloads in clusters/prod, 2 in clusters/dev" (the first count names its noun). */
function perEnvironment(
  views: readonly View[],
  verb: string,
  nouns: [string, string],
  count: (v: View) => number,
): string {
  return `${verb} ${views.map((v, i) => `${i ? count(v) : plural(count(v), ...nouns)} in ${v.env}`).join(', ')}`;
}

function summary(views: readonly View[]): string {
  const first = views[0].obj;
  if (first.type === 'policy') {
    return perEnvironment(views, 'selects', ['workload', 'workloads'], (v) => selectedIn(v).length);
  }
  if (first.type === 'workload') return perEnvironment(views, 'selected by', ['policy', 'policies'], policiesOf);
  return `rendered in ${views.map((v) => v.env).join(', ')}`;
}

function detailLine(v: View): string {
  const ns = v.obj.type === 'namespace' ? (v.obj.name ?? '') : v.world.namespaceOf(v.obj);
  const head = `- \`${v.env}\`: \`${ns ? `${ns}/` : ''}${v.obj.name ?? ''}\``;
  if (v.obj.type !== 'policy') return head;
  const p = normalizedPolicy(v.world, v.obj);
  const sel = selectedIn(v);
  const names = sel.length ? ` (${sel.map((w) => w.name).join(', ')})` : '';
  const allows = p.valid ? allowsPhrase(v.world, p) : 'invalid: not applied';
  return `${head} selects ${plural(sel.length, 'workload')}${names}${allows ? `; ${allows}` : ''}`;
}

/** The environments part of a hover in a file that environments read; null when no environment renders the object. */
export function environmentHover(
  session: EnvironmentSession,
  file: ManifestFile,
  pos: { line: number; character: number },
  defaultNamespace: string | undefined,
): { hover: Hover; object: K8sObject } | null {
  const tc = treeCursor(file, pos);
  if (!tc?.obj) return null;
  const views = viewsOf(session, tc.doc, tc.obj, defaultNamespace);
  if (!views.length) return null;
  const lines = [`**Environments** — ${summary(views)}`, '', ...views.map(detailLine)];
  return { hover: { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } }, object: tc.obj };
}

/** The workloads a policy selects in an environment, placed in their sources. */
function selectedLocations(
  session: EnvironmentSession,
  v: View,
): Array<{ uri: string; range: Location['range']; label: string }> {
  return selectedIn(v).flatMap((w) => {
    const src = w.sources[0];
    if (!src || src.uri !== v.ref.rendered.file.uri) return [];
    const at = session.placeSpan(v.ref.rendered, src.doc.index, src.node.s, src.node.s);
    return at ? [{ uri: at.uri, range: at.range, label: `${w.namespace}/${w.name} (${w.kind}) in ${v.env}` }] : [];
  });
}

/** CodeLenses of a file that environments read: per policy, what it selects in each environment, and its diagram there. */
export function environmentLenses(
  session: EnvironmentSession,
  file: ManifestFile,
  defaultNamespace: string | undefined,
): CodeLens[] {
  const out: CodeLens[] = [];
  for (const doc of file.documents) {
    for (const obj of documentObjects(file.uri, doc)) {
      if (obj.type !== 'policy') continue;
      const views = viewsOf(session, doc, obj, defaultNamespace);
      if (!views.length) continue;
      const range = rangeIn(doc, obj.node.s, obj.node.s);
      const locations = views.flatMap((v) => selectedLocations(session, v));
      out.push({
        range,
        command: {
          title: summary(views),
          command: SHOW_SELECTED_COMMAND,
          arguments: [obj.uri, locations, doc.positionAt(obj.node.s)],
        },
      });
      for (const v of views) {
        if (v.obj.type !== 'policy') continue;
        const p = normalizedPolicy(v.world, v.obj);
        const types = typesOf(p);
        const parts = [types.length ? `isolates ${types.map(dirWord).join(', ')}` : 'isolates nothing'];
        const allows = p.valid ? allowsPhrase(v.world, p) : 'invalid: not applied';
        if (allows) parts.push(allows);
        out.push({
          range,
          command: {
            title: `${v.env}: ${parts.join(' · ')}`,
            command: SHOW_DIAGRAM_COMMAND,
            arguments: [{ namespace: p.namespace, environment: v.env }],
          },
        });
      }
    }
  }
  return out;
}
