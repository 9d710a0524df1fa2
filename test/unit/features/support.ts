// Helpers for feature tests: inline workspaces with a cursor marker, and a FeatureContext.

import type { World } from '../../../server/src/analysis/world';
import type { FeatureContext } from '../../../server/src/features/context';
import type { ManifestFile } from '../../../server/src/model/document';
import { DEFAULT_SETTINGS, type NetpolSettings } from '../../../server/src/settings';
import { buildWorkspace, type Files, fileMap, WS_ROOT } from '../../support/workspace';

/** The cursor marker in test documents (`|` would clash with YAML block scalars). */
export const CARET = '<|>';

export interface Caret {
  readonly text: string;
  readonly line: number;
  readonly character: number;
}

/** Removes the marker and returns the text and the marker's position. */
export function caret(marked: string): Caret {
  const i = marked.indexOf(CARET);
  if (i === -1) throw new Error('no cursor marker in the text');
  const text = marked.slice(0, i) + marked.slice(i + CARET.length);
  const before = marked.slice(0, i);
  const line = before.split('\n').length - 1;
  const character = i - (before.lastIndexOf('\n') + 1);
  return { text, line, character };
}

export const uriOf = (name: string): string => `${WS_ROOT}${name}`;

export interface Workspace {
  readonly files: ManifestFile[];
  readonly world: World;
  readonly settings: NetpolSettings;
  /** Context for one file of the workspace. */
  ctx(name: string): FeatureContext;
  /** The cursor position in the file that had the marker. */
  readonly pos: { line: number; character: number };
  /** The name of the file with the marker. */
  readonly at: string;
}

/**
 * A workspace of inline files; exactly one may contain the cursor marker. A bare string is one
 * file `a.yaml`.
 */
export function workspace(files: Files, settings: Partial<NetpolSettings> = {}): Workspace {
  let pos = { line: 0, character: 0 };
  let at = '';
  const texts: Record<string, string> = {};
  for (const [name, t] of Object.entries(fileMap(files))) {
    if (t.includes(CARET)) {
      const c = caret(t);
      texts[name] = c.text;
      pos = { line: c.line, character: c.character };
      at = name;
    } else texts[name] = t;
  }
  const s: NetpolSettings = { ...DEFAULT_SETTINGS, ...settings };
  const ws = buildWorkspace(texts, { defaultNamespace: s.defaultNamespace });
  const { files: parsed, world } = ws;
  return {
    files: parsed,
    world,
    settings: s,
    pos,
    at,
    ctx(name: string): FeatureContext {
      const file = ws.file(name);
      return { file, world, settings: s, files: parsed, ruleDoc: (id) => `file:///docs/rules/${id}.md` };
    },
  };
}

/** The Markdown text of a hover (or '' when there is none). */
export function hoverText(h: { contents: unknown } | null): string {
  if (!h) return '';
  const c = h.contents as { value?: string } | string;
  return typeof c === 'string' ? c : (c.value ?? '');
}
