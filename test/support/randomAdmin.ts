// Random admin policies (docs/semantics.md D) to add to a random workspace: AdminNetworkPolicies,
// the BaselineAdminNetworkPolicy and ClusterNetworkPolicies of both tiers, with every peer and
// port form, equal priorities, Pass, named ports, IPv4/IPv6 networks, nodes and domainNames, and
// now and then an invalid policy (which takes no part).
import { rng } from './randomWorkspace';

const NS = ['a', 'b', 'c'];
const KEYS = ['app', 'tier', 'env'];
const VALS = ['x', 'w', 'z'];
const PORT_NAMES = ['http', 'grpc', 'dns'];
const NETS = ['10.0.0.0/8', '0.0.0.0/0', '192.168.1.0/24', '2001:db8::/32', '::/0', '10.1.0.0/16'];

export function randomAdminPolicies(seed: number): string[] {
  const r = rng(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const selector = (indent: string, ns: boolean): string => {
    const parts: string[] = [];
    if (r() < 0.5) {
      const [k, v] = ns
        ? pick([
            ['kubernetes.io/metadata.name', pick(NS)],
            ['team', pick(VALS)],
          ])
        : [pick(KEYS), pick(VALS)];
      parts.push(`${indent}matchLabels:\n${indent}  ${k}: ${v}`);
    }
    if (r() < 0.3) {
      const op = pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
      const key = ns ? pick(['team', 'kubernetes.io/metadata.name']) : pick(KEYS);
      const vals =
        op === 'In' || op === 'NotIn' ? `\n${indent}    values: [${pick([...VALS, ...NS])}, ${pick(VALS)}]` : '';
      parts.push(`${indent}matchExpressions:\n${indent}  - key: ${key}\n${indent}    operator: ${op}${vals}`);
    }
    return parts.length ? `\n${parts.join('\n')}` : ' {}';
  };
  const podsOrNamespaces = (indent: string, v2: boolean): string => {
    if (r() < 0.45) return `namespaces:${selector(`${indent}  `, true)}`;
    const nsSel = v2 && r() < 0.3 ? '' : `\n${indent}  namespaceSelector:${selector(`${indent}    `, true)}`;
    return `pods:${nsSel}\n${indent}  podSelector:${selector(`${indent}    `, false)}`;
  };
  const peer = (egress: boolean, v2: boolean, accept: boolean): string => {
    const k = r();
    if (egress && k < 0.25) return `- networks: [${pick(NETS)}${r() < 0.3 ? `, ${pick(NETS)}` : ''}]`;
    if (egress && k < 0.3) return '- nodes: {}';
    if (egress && v2 && accept && k < 0.35) return "- domainNames: ['*.example.com']";
    return `- ${podsOrNamespaces('          ', v2)}`;
  };
  const ports = (v2: boolean, named: boolean): string => {
    if (r() < 0.35) return '';
    const items: string[] = [];
    const n = 1 + Math.floor(r() * 2);
    for (let i = 0; i < n; i++) {
      const k = r();
      const proto = pick(['TCP', 'UDP', 'SCTP', 'TCP']);
      if (v2) {
        if (k < 0.25 && named) items.push(`- destinationNamedPort: ${pick(PORT_NAMES)}`);
        else if (k < 0.6) {
          items.push(`- ${proto.toLowerCase()}: {destinationPort: {number: ${pick([80, 53, 8080, 9000])}}}`);
        } else {
          items.push(
            `- ${proto.toLowerCase()}: {destinationPort: {range: {start: ${pick([53, 80])}, end: ${pick([90, 9000])}}}}`,
          );
        }
      } else if (k < 0.25 && named) items.push(`- namedPort: ${pick(PORT_NAMES)}`);
      else if (k < 0.6) {
        const p = r() < 0.3 ? `protocol: ${proto}, ` : '';
        items.push(`- portNumber: {${p}port: ${pick([80, 53, 8080, 9000])}}`);
      } else {
        items.push(`- portRange: {protocol: ${proto}, start: ${pick([53, 80, 100])}, end: ${pick([80, 90, 9000])}}`);
      }
    }
    return `\n      ${v2 ? 'protocols' : 'ports'}:\n${items.map((x) => `        ${x}`).join('\n')}`;
  };
  const rules = (dir: 'ingress' | 'egress', kind: string): string => {
    if (r() < 0.3) return '';
    const v2 = kind === 'ClusterNetworkPolicy';
    const actions = v2
      ? ['Accept', 'Deny', 'Pass']
      : kind === 'AdminNetworkPolicy'
        ? ['Allow', 'Deny', 'Pass']
        : ['Allow', 'Deny'];
    const out: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const action = pick(actions);
      const accept = action === 'Accept' || action === 'Allow';
      const peers = [peer(dir === 'egress', v2, accept), ...(r() < 0.35 ? [peer(dir === 'egress', v2, accept)] : [])];
      const byAddress = peers.some((p) => !p.includes('namespaces') && !p.includes('pods'));
      const name = r() < 0.5 ? `\n      name: r${i}` : '';
      out.push(
        `    - action: ${action}${name}\n      ${dir === 'ingress' ? 'from' : 'to'}:\n${peers.map((p) => `        ${p}`).join('\n')}${ports(v2, !byAddress)}`,
      );
    }
    return `\n  ${dir}:\n${out.join('\n')}`;
  };
  const docs: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const k = r();
    const kind = k < 0.4 ? 'AdminNetworkPolicy' : k < 0.55 ? 'BaselineAdminNetworkPolicy' : 'ClusterNetworkPolicy';
    const v2 = kind === 'ClusterNetworkPolicy';
    const name = kind === 'BaselineAdminNetworkPolicy' ? (r() < 0.85 ? 'default' : 'not-default') : `t${i}`;
    const head = v2
      ? `\n  tier: ${pick(['Admin', 'Baseline'])}\n  priority: ${pick([5, 10, 10, 20])}`
      : kind === 'AdminNetworkPolicy'
        ? `\n  priority: ${r() < 0.05 ? 1001 : pick([5, 10, 10, 20])}`
        : '';
    docs.push(
      `apiVersion: policy.networking.k8s.io/${v2 ? 'v1alpha2' : 'v1alpha1'}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:${head}\n  subject:\n    ${podsOrNamespaces('    ', v2)}${rules('ingress', kind)}${rules('egress', kind)}\n`,
    );
  }
  return docs;
}
