// Connectivity expectations per environment (docs/environments.md): a ConnectivityExpectations
// document may name the environments it applies to (`environments: [clusters/prod]`); without
// the key it applies to all of them. It is checked in each environment it applies to, and the
// findings are merged as every environment's are (`[clusters/dev, clusters/prod] Expected ...`).
// Without the key, an entry whose workloads one environment does not have is not an error there
// when another environment has them (a contract about the shop says nothing about the storefront);
// it is one only when no environment has them. With the key, every named environment must.

import { documentObjects, type World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { get } from '../model/tree';
import { isExpectations } from '../rules/expectations';
import { checkDocument, type DocFinding, fileSuppressions } from '../rules/registry';
import type { NetpolSettings } from '../settings';
import { type CheckContext, type EnvFinding, mapContext, mergeFindings, type RenderedOk, renderedWorld } from './check';
import { PLAIN } from './discover';
import { place, type PlacedFinding } from './mapBack';

/** One environment an expectations document can be checked in. */
export interface ExpectationWorld {
  readonly name: string;
  readonly world: World;
  /** Related locations in the environment's rendered objects, placed in their sources. */
  readonly placeRelated?: (f: DocFinding) => DocFinding;
}

const MISSING = /^(from|to): no workload /;

/** The environments a document names (`environments: [...]`), undefined when it names none. */
export function namedEnvironments(doc: ManifestDocument): { names: string[]; s: number; e: number } | undefined {
  const root = doc.tree;
  const list = root && root.t === 'map' ? get(root, 'environments') : undefined;
  if (!list) return undefined;
  const items = list.t === 'seq' ? list.items : [list];
  const names = items.flatMap((n) =>
    n.t === 'scalar' && typeof n.v === 'string' && n.v ? [n.v.replace(/\/$/, '')] : [],
  );
  return { names, s: list.s, e: list.e };
}

/**
 * The findings of an expectations document checked in the environments it applies to. With only
 * the plain environment, they are exactly what checkDocument gives (no environment in the message).
 */
export function checkExpectationsIn(
  file: ManifestFile,
  doc: ManifestDocument,
  worlds: readonly ExpectationWorld[],
  settings: NetpolSettings,
): readonly DocFinding[] {
  const named = namedEnvironments(doc);
  const known = new Set(worlds.map((w) => w.name));
  const applies = named ? worlds.filter((w) => named.names.includes(w.name)) : worlds;
  const out: DocFinding[] = [];
  const unknown = named?.names.filter((n) => !known.has(n)) ?? [];
  const level = settings.rules.NPX08;
  if (named && unknown.length && level !== 'off') {
    out.push({
      rule: 'NPX08',
      severity: level ?? 'error',
      s: named.s,
      e: named.e,
      message: `No environment ${unknown.join(', ')} in this workspace folder (environments: ${[...known].join(', ') || 'none'}).`,
      doc,
    });
  }
  if (applies.length === 1 && applies[0].name === PLAIN && !named) {
    return [...out, ...checkDocument(file, doc, applies[0].world, settings).map((f) => ({ ...f, doc }))];
  }
  const placed: PlacedFinding[] = [];
  for (const w of applies) {
    for (const f of checkDocument(file, doc, w.world, settings)) {
      const g = w.placeRelated ? w.placeRelated({ ...f, doc }) : f;
      placed.push({ ...g, uri: file.uri, file, doc, env: w.name });
    }
  }
  const kept = named ? placed : withoutMissingEnds(placed, applies.length);
  const merged: EnvFinding[] = mergeFindings(kept, new Map());
  return [...out, ...merged.map((f) => ({ ...f, doc }))];
}

/** Without `environments`: "no workload" only where no environment has the entry's workloads. */
function withoutMissingEnds(placed: readonly PlacedFinding[], environments: number): PlacedFinding[] {
  const at = (f: PlacedFinding): string => `${f.s}:${f.e}`;
  const missingIn = new Map<string, Set<string>>();
  for (const f of placed) {
    if (f.rule !== 'NPX08' || !MISSING.test(f.message)) continue;
    let s = missingIn.get(at(f));
    if (!s) missingIn.set(at(f), (s = new Set()));
    s.add(f.env);
  }
  return placed.filter((f) => {
    const miss = missingIn.get(at(f));
    if (!miss) return true;
    // every environment lacks the workloads: an error (in all of them); else only where they are
    return miss.size === environments || !miss.has(f.env);
  });
}

const EXPECTATION_RULES = new Set(['NPX07', 'NPX08']);

/**
 * A plain file's findings (`found`, made on the plain world) with those of its expectations
 * documents made again in every environment they apply to, the settings' levels and the
 * suppression comments applied; undefined when the file has no expectations document.
 */
export function withExpectationsIn(
  file: ManifestFile,
  found: readonly DocFinding[],
  worlds: readonly ExpectationWorld[],
  settings: NetpolSettings,
): DocFinding[] | undefined {
  if (!file.text.includes('ConnectivityExpectations')) return undefined;
  const docs = file.documents.filter((d) => documentObjects(file.uri, d).some(isExpectations));
  if (!docs.length) return undefined;
  const sup = fileSuppressions(file);
  const out = found.filter((f) => !(EXPECTATION_RULES.has(f.rule) && docs.includes(f.doc)));
  for (const doc of docs) {
    for (const f of checkExpectationsIn(file, doc, worlds, settings)) {
      const level = settings.rules[f.rule];
      if (level === 'off' || sup.file.has('*') || sup.file.has(f.rule)) continue;
      const l = sup.lines.get(doc.positionAt(f.s).line);
      if (l && (l.has('*') || l.has(f.rule))) continue;
      out.push({ ...f, severity: level ?? f.severity });
    }
  }
  return out;
}

/** A rendered environment to check expectations in, its related locations placed in the sources. */
export function renderedExpectationWorld(r: RenderedOk, ctx: CheckContext): ExpectationWorld {
  const mc = mapContext(r, ctx);
  return {
    name: r.env.name,
    world: renderedWorld(r, ctx.settings.defaultNamespace),
    placeRelated: (f) => ({
      ...f,
      related: (f.related ?? []).flatMap((x) => {
        if (x.uri !== r.file.uri) return [x];
        const p = place(mc, x.doc.index, x.s, x.e);
        return p ? [{ uri: p.uri, doc: p.doc, s: p.s, e: p.e, message: x.message }] : [];
      }),
    }),
  };
}
