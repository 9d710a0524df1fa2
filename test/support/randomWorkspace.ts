// A seeded generator of small random workspaces that use every NetworkPolicy feature.

/** mulberry32: a small seeded PRNG (tests and benchmarks share it). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NS = ['a', 'b', 'c'];
const KEYS = ['app', 'tier', 'env'];
const VALS = ['x', 'w', 'z'];
const PORT_NAMES = ['http', 'grpc', 'dns'];

export function randomWorkspace(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const docs: string[] = [];
  for (const ns of NS) {
    if (r() < 0.7) {
      docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    team: ${pick(VALS)}\n`);
    }
  }
  const nW = 3 + Math.floor(r() * 6);
  for (let i = 0; i < nW; i++) {
    const labels = KEYS.filter(() => r() < 0.6)
      .map((k) => `        ${k}: ${pick(VALS)}`)
      .join('\n');
    const ports = PORT_NAMES.filter(() => r() < 0.5)
      .map(
        (n) =>
          `        - name: ${n}\n          containerPort: ${pick([80, 8080, 53, 9000])}\n          protocol: ${pick(['TCP', 'UDP', 'TCP'])}`,
      )
      .join('\n');
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w${i}\n  namespace: ${pick(NS)}\nspec:\n  template:\n    metadata:\n      labels:\n${labels || '        {}'}\n    spec:\n      containers:\n      - name: c\n${ports ? `        ports:\n${ports}` : ''}\n`,
    );
  }
  const selector = (indent: string): string => {
    const parts: string[] = [];
    if (r() < 0.5) parts.push(`${indent}matchLabels:\n${indent}  ${pick(KEYS)}: ${pick(VALS)}`);
    if (r() < 0.4) {
      const op = pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
      const vals = op === 'In' || op === 'NotIn' ? `\n${indent}    values: [${pick(VALS)}, ${pick(VALS)}]` : '';
      parts.push(
        `${indent}matchExpressions:\n${indent}  - key: ${pick([...KEYS, 'team'])}\n${indent}    operator: ${op}${vals}`,
      );
    }
    return parts.length ? `\n${parts.join('\n')}` : ' {}';
  };
  const peer = (): string => {
    const k = r();
    if (k < 0.2) {
      const v6 = r() < 0.3;
      const cidr = v6
        ? pick(['2001:db8::/32', '::/0', '2001:db8:1::/48'])
        : pick(['10.0.0.0/8', '0.0.0.0/0', '192.168.1.0/24', '10.1.0.0/16']);
      const ex =
        r() < 0.5
          ? v6
            ? `\n        except: ['${cidr === '::/0' ? '2001:db8::/32' : cidr.replace(/\/\d+$/, '/64')}']`
            : `\n        except: ['${cidr === '0.0.0.0/0' ? '10.0.0.0/8' : cidr.replace(/\/\d+$/, '/28')}']`
          : '';
      return `      - ipBlock:\n          cidr: ${cidr}${ex.replace(/\n {8}/, '\n          ')}`;
    }
    const parts: string[] = [];
    if (k < 0.55) parts.push(`podSelector:${selector('          ')}`);
    if (k >= 0.4) parts.push(`namespaceSelector:${r() < 0.2 ? '' : selector('          ')}`);
    if (!parts.length || parts.every((p) => p === 'namespaceSelector:')) {
      parts.push(`podSelector:${selector('          ')}`);
    }
    return `      - ${parts.join('\n        ')}`;
  };
  const ports = (): string => {
    const items: string[] = [];
    const n = Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const proto = r() < 0.3 ? `\n        protocol: ${pick(['TCP', 'UDP', 'SCTP'])}` : '';
      const k = r();
      if (k < 0.3) items.push(`      - port: ${pick(PORT_NAMES)}${proto}`);
      else if (k < 0.5) {
        items.push(`      - port: ${pick([80, 53, 8000])}\n        endPort: ${pick([80, 90, 9000])}${proto}`);
      } else if (k < 0.8) items.push(`      - port: ${pick([80, 8080, 53, 9000])}${proto}`);
      else items.push(`      -${proto ? proto.replace('\n       ', '') : ' {}'}`);
    }
    return items.length ? `\n    ports:\n${items.join('\n')}` : '';
  };
  const nP = 1 + Math.floor(r() * 5);
  for (let i = 0; i < nP; i++) {
    const types = r() < 0.5 ? `\n  policyTypes: [${pick(['Ingress', 'Egress', 'Ingress, Egress'])}]` : '';
    const section = (name: string, peersKey: string): string => {
      if (r() < 0.3) return '';
      const n = Math.floor(r() * 3);
      if (n === 0) return `\n  ${name}: ${pick(['[]', '[{}]'])}`;
      const rules: string[] = [];
      for (let j = 0; j < n; j++) {
        const peers = r() < 0.2 ? '' : `\n    ${peersKey}:\n${[peer(), ...(r() < 0.4 ? [peer()] : [])].join('\n')}`;
        const body = `${peers}${ports()}`;
        rules.push(body ? `  -${body.replace(/^\n {3}/, '')}` : '  - {}');
      }
      return `\n  ${name}:\n${rules.join('\n')}`;
    };
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p${i}\n  namespace: ${pick(NS)}\nspec:\n  podSelector:${selector('    ')}${types}${section('ingress', 'from')}${section('egress', 'to')}\n`,
    );
  }
  return docs.join('---\n');
}
