// Formats of a connectivity diff (diff.ts) for `netpol-lens diff` and the editor's comparison with
// Git: text (one line per change), Markdown (a table for a pull-request comment) or JSON.

import { type ConnectionChange, type ConnectivityDiff, type DiffEnd, portDelta } from './diff';
import { mdText, textLine } from './escape';
import { describePorts, isAllPorts, isEmptyPorts, type PortSet, portsToJson } from './ports';
import { plural } from '../model/words';

function endText(e: DiffEnd): string {
  return 'workload' in e
    ? e.workload
    : e.ips.length > 3
      ? `${e.ips.slice(0, 3).join(', ')} +${e.ips.length - 3}`
      : e.ips.join(', ');
}

function portsText(p: PortSet): string {
  return isAllPorts(p) ? 'all' : isEmptyPorts(p) ? 'nothing' : describePorts(p);
}

const MARK: Record<ConnectionChange['kind'], string> = { added: '+', removed: '-', changed: '~' };
const ORDER: Record<ConnectionChange['kind'], number> = { removed: 0, changed: 1, added: 2 };

function sorted(d: ConnectivityDiff): ConnectionChange[] {
  return [...d.changes].sort(
    (a, b) =>
      ORDER[a.kind] - ORDER[b.kind] ||
      endText(a.src).localeCompare(endText(b.src)) ||
      endText(a.dst).localeCompare(endText(b.dst)),
  );
}

/** What changed for one connection, in words: "TCP 443" (added), "TCP 80 -> all" (changed). */
function changeText(c: ConnectionChange): string {
  if (c.kind === 'added') return portsText(c.after);
  if (c.kind === 'removed') return portsText(c.before);
  const { gained, lost } = portDelta(c);
  const parts = [`${portsText(c.before)} -> ${portsText(c.after)}`];
  if (!isEmptyPorts(gained) && !isEmptyPorts(lost)) parts.push(`(+${portsText(gained)}, -${portsText(lost)})`);
  return parts.join(' ');
}

function summary(d: ConnectivityDiff): string {
  const n = (k: ConnectionChange['kind']): number => d.changes.filter((c) => c.kind === k).length;
  const parts = [`${n('added')} added`, `${n('removed')} removed`, `${n('changed')} changed`];
  if (d.workloadsAdded.length) {
    parts.push(plural(d.workloadsAdded.length, 'new workload'));
  }
  if (d.workloadsRemoved.length) {
    parts.push(`${plural(d.workloadsRemoved.length, 'workload')} gone`);
  }
  return parts.join(', ');
}

function workloadLines(d: ConnectivityDiff, all: boolean): string[] {
  const note = (n: number, verb: string): string =>
    n ? `${plural(n, 'connection')} ${verb}${all ? '' : ' (--all lists them)'}` : 'no connection';
  return [
    ...d.workloadsAdded.map((w) => `new workload ${w.workload}: ${note(w.connections, 'added')}`),
    ...d.workloadsRemoved.map((w) => `workload gone ${w.workload}: ${note(w.connections, 'removed')}`),
  ];
}

export function diffText(d: ConnectivityDiff, all = false): string {
  const lines = sorted(d).map((c) => `${MARK[c.kind]} ${endText(c.src)} => ${endText(c.dst)}: ${changeText(c)}`);
  lines.push(...workloadLines(d, all));
  if (!lines.length) return 'no change in connectivity\n';
  return `${lines.map(textLine).join('\n')}\n${summary(d)}\n`;
}

export function diffMarkdown(d: ConnectivityDiff, all = false, title = 'Connectivity changes'): string {
  const cell = mdText;
  const out = [`## ${cell(title)}`, ''];
  if (!d.changes.length && !d.workloadsAdded.length && !d.workloadsRemoved.length) {
    return `${out.join('\n')}No change in connectivity.\n`;
  }
  out.push(summary(d), '');
  if (d.changes.length) {
    out.push('| | Source | Destination | Before | After |', '|---|---|---|---|---|');
    for (const c of sorted(d)) {
      out.push(
        `| ${c.kind} | ${cell(endText(c.src))} | ${cell(endText(c.dst))} | ${cell(portsText(c.before))} | ${cell(portsText(c.after))} |`,
      );
    }
    out.push('');
  }
  for (const l of workloadLines(d, all)) out.push(`- ${cell(l)}`);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

export function diffJson(d: ConnectivityDiff): string {
  const end = (e: DiffEnd): unknown =>
    'workload' in e ? { workload: e.workload } : { ips: e.ips, family: e.family === 4 ? 'IPv4' : 'IPv6' };
  return `${JSON.stringify(
    {
      changes: sorted(d).map((c) => ({
        kind: c.kind,
        src: end(c.src),
        dst: end(c.dst),
        before: portsToJson(c.before),
        after: portsToJson(c.after),
      })),
      workloadsAdded: d.workloadsAdded,
      workloadsRemoved: d.workloadsRemoved,
    },
    null,
    2,
  )}\n`;
}
