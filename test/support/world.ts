// Helpers for tests: build a world from inline YAML files.
import { parseFile } from '../../server/src/model/document';
import { buildWorld, type World, type WorldOptions } from '../../server/src/analysis/world';

export function worldOf(files: Record<string, string> | string, opts: WorldOptions = {}): World {
  const map = typeof files === 'string' ? { 'a.yaml': files } : files;
  const parsed = Object.keys(map)
    .sort()
    .map((name) => parseFile(`file:///ws/${name}`, map[name]));
  return buildWorld(parsed, opts);
}
