// Fixes that keep name lookups working: an egress rule to the DNS pods (NPP10), and a
// default-deny policy for a namespace that has none (NPP36), with that DNS rule when it denies
// egress too.

import { NAME_LABEL } from '../../analysis/world';
import { getEntry } from '../../model/tree';
import type { NetpolSettings } from '../../settings';
import {
  appendSeqItem,
  columnOf,
  type Edit,
  emit,
  isLiteralKey,
  isLiteralNode,
  lineEndOf,
  type YValue,
} from '../yamlEdit';
import { addEntry, afterColon, type Fix, type FixContext, setNullValue } from './support';

function dnsRule(s: NetpolSettings): YValue {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAME_LABEL]: s.dns.namespace } },
        podSelector: { matchLabels: { ...s.dns.podLabels } },
      },
    ],
    ports: [
      { protocol: 'UDP', port: s.dns.port },
      { protocol: 'TCP', port: s.dns.port },
    ],
  };
}

export function dnsFix(c: FixContext): Fix[] {
  const spec = c.policy?.specNode;
  if (!spec || !isLiteralNode(c.text, spec)) return [];
  const rule = dnsRule(c.settings);
  const en = getEntry(spec, 'egress');
  const title = `Allow DNS: egress to ${c.settings.dns.namespace} ${Object.entries(c.settings.dns.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')} on UDP and TCP ${c.settings.dns.port}`;
  const fix = (edits: Edit[] | undefined): Fix[] => (edits ? [{ title, edits, preferred: true }] : []);
  if (!en) {
    return fix([addEntry(c, spec, 'egress', [rule], getEntry(spec, 'policyTypes') ? 'policyTypes' : 'podSelector')]);
  }
  const egress = en.value;
  if (!isLiteralKey(c.text, en) || !isLiteralNode(c.text, egress)) return [];
  if (egress.t === 'scalar') return fix(setNullValue(c, spec, en, [rule]));
  if (egress.t !== 'seq') return [];
  if (egress.items.length || spec.flow) return fix([appendSeqItem(c.text, egress, rule, c.st)]);
  // `egress: []` in a block map: a block list in its place; a comment after `[]` stays on the key's line
  const colon = afterColon(c, en);
  if (colon === undefined || c.text.slice(colon, egress.s).trim() !== '') return [];
  const col = columnOf(c.text, en.ks);
  const lines = emit([rule], col + (c.st.seqIndented ? c.st.unit : 0), c.st);
  const at = lineEndOf(c.text, egress.e);
  return fix([
    { s: colon, e: egress.e, text: '' },
    { s: at, e: at, text: `${c.st.eol}${lines.join(c.st.eol)}` },
  ]);
}

/**
 * NPP36 (a namespace whose workloads no policy isolates): add a default-deny policy as a new
 * document after the Namespace manifest. Ingress only; or ingress and egress with the DNS rule, so
 * that name lookups keep working. The names avoid the namespace's existing policies.
 */
export function defaultDenyFixes(c: FixContext): Fix[] {
  const d = c.t.data ?? {};
  const ns = d.namespace;
  if (typeof ns !== 'string' || !ns || d.inList || c.st.json) return [];
  const taken = new Set(Array.isArray(d.taken) ? d.taken.filter((x): x is string => typeof x === 'string') : []);
  const nameFor = (base: string): string => {
    let n = base;
    for (let i = 2; taken.has(n); i++) n = `${base}-${i}`;
    return n;
  };
  const doc = (name: string, spec: YValue): string => {
    const lines = emit(
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec },
      0,
      c.st,
    );
    const lead = c.text.length && !/\n$/.test(c.text) ? c.st.eol : '';
    return `${lead}---${c.st.eol}${lines.join(c.st.eol)}${c.st.eol}`;
  };
  const at = c.text.length;
  const out: Fix[] = [];
  if (d.ingress === true) {
    const name = nameFor('default-deny-ingress');
    out.push({
      title: `Add a ${name} policy for namespace ${ns} (ingress that no other policy allows is denied)`,
      edits: [{ s: at, e: at, text: doc(name, { podSelector: {}, policyTypes: ['Ingress'] }) }],
      preferred: false,
    });
  }
  if (d.egress === true || d.ingress === true) {
    const name = nameFor('default-deny');
    out.push({
      title: `Add a ${name} policy for namespace ${ns} (ingress and egress; DNS to ${c.settings.dns.namespace} stays allowed)`,
      edits: [
        {
          s: at,
          e: at,
          text: doc(name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [dnsRule(c.settings)] }),
        },
      ],
      preferred: false,
    });
  }
  return out;
}
