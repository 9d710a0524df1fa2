// "Compare Connectivity with Git HEAD" environment by environment: for each rendered environment
// that reads a file of the base version, the files it reads are copied into a temporary folder
// with the base texts put in (the tools never run on anything but that copy or the workspace), the
// copy is rendered with the same commands, and its connectivity is compared with the current
// render. Renders read the disk, so an environment's side compares saved files.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffConnectivity } from '../analysis/diff';
import { diffMarkdown } from '../analysis/diffReport';
import { renderedWorld } from '../environments/check';
import { renderOnce } from '../environments/render';
import type { EnvironmentSession } from '../environments/session';
import type { Environment } from '../environments/types';
import { connectivityOf } from './environmentQueries';
import type { EnvironmentsService } from './environments';

export interface BaseText {
  readonly uri: string;
  readonly text: string | null;
}

export interface EnvironmentDiff {
  readonly env: string;
  readonly markdown: string;
  readonly changes: number;
}

/** The base texts under a folder, by relative path. */
function baseUnder(folderUri: string, base: readonly BaseText[]): Map<string, string | null> {
  const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
  const out = new Map<string, string | null>();
  for (const b of base) {
    if (!b.uri.startsWith(prefix)) continue;
    try {
      out.set(decodeURIComponent(b.uri.slice(prefix.length)), b.text);
    } catch {
      // not a path
    }
  }
  return out;
}

/** A copy of what `env` reads, with the base texts in: the temporary folder. */
function baseCopy(root: string, env: Environment, base: ReadonlyMap<string, string | null>): string {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lens-head-'));
  const files = new Set([
    ...env.inputs,
    ...[...base.keys()].filter((r) => env.dir === '' || r.startsWith(`${env.dir}/`)),
  ]);
  for (const rel of files) {
    const out = path.join(temp, ...rel.split('/'));
    const rp = path.relative(temp, out);
    if (rp.startsWith('..') || path.isAbsolute(rp)) continue;
    const text = base.has(rel) ? base.get(rel) : undefined;
    if (text === null) continue; // not in the base version
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (text !== undefined) fs.writeFileSync(out, text);
    else {
      try {
        fs.copyFileSync(path.join(root, rel), out);
      } catch {
        // gone meanwhile: the render says so
      }
    }
  }
  return temp;
}

async function diffOne(
  session: EnvironmentSession,
  root: string,
  env: Environment,
  base: ReadonlyMap<string, string | null>,
  opts: { namespace?: string; title: string; defaultNamespace?: string },
): Promise<EnvironmentDiff> {
  const title = `${opts.title} — ${env.name}`;
  const head = session.renderOf(env.name);
  if (!head) {
    return { env: env.name, markdown: `## ${title}\n\nNot compared: the environment is not rendered.\n`, changes: 0 };
  }
  const temp = baseCopy(root, env, base);
  try {
    const r = await renderOnce(env, { ...session.service.options, root: temp });
    if (!r.ok) {
      return {
        env: env.name,
        markdown: `## ${title}\n\nThe base version does not render: ${r.problem.message}\n`,
        changes: 0,
      };
    }
    const before = connectivityOf(renderedWorld(r, opts.defaultNamespace));
    const after = connectivityOf(renderedWorld(head, opts.defaultNamespace));
    const d = diffConnectivity(before, after, { namespace: opts.namespace });
    return {
      env: env.name,
      markdown: diffMarkdown(d, false, title),
      changes: d.changes.length + d.workloadsAdded.length + d.workloadsRemoved.length,
    };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** The connectivity changes of every rendered environment that reads a file of the base version. */
export async function diffEnvironments(
  envs: EnvironmentsService,
  base: readonly BaseText[],
  opts: { namespace?: string; title: string; defaultNamespace?: string },
): Promise<EnvironmentDiff[]> {
  const out: EnvironmentDiff[] = [];
  for (const f of envs.folderList()) {
    const texts = baseUnder(f.uri, base);
    if (!texts.size) continue;
    const names = new Set([...texts.keys()].flatMap((rel) => f.session.service.feeding(rel)));
    for (const env of f.session.rendered) {
      if (names.has(env.name)) out.push(await diffOne(f.session, f.root, env, texts, opts));
    }
  }
  return out;
}
