// NPX09 and NPX10 come from rendered environments (server/src/environments): their cases render
// small workspaces with the real kubectl in a `before` hook (test/unit/rules/environments.test.ts)
// and `produce` reads the findings of the file under test, with the workspace's folder shown as
// the rule tests' BASE_URI so that related locations compare as in the other cases.
import { pathToFileURL } from 'node:url';
import type { DocFinding } from '../../../../server/src/rules/registry';
import { checkAll, GITOPS, openFolder, removeWorkspace, TRAP, writeWorkspace } from '../../environments/helpers';
import { BASE_URI, fires, type RuleCase, silent, yaml } from '../helpers';

const WORKSPACES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  failing: {
    ...GITOPS,
    'apps/api/overlays/dev/kustomization.yaml': yaml(`
      resources: [../../base, missing.yaml]
      namespace: dev
    `),
  },
  rendering: GITOPS,
  trap: TRAP,
  'no-trap': {
    ...TRAP,
    'app/base/kustomization.yaml': TRAP['app/base/kustomization.yaml'].replace(
      'includeSelectors: true',
      'includeSelectors: false',
    ),
  },
};

const results = new Map<string, DocFinding[]>();

/** Renders and checks every workspace of these cases (call from a `before` hook). */
export async function prepareEnvironmentCases(): Promise<void> {
  for (const [name, files] of Object.entries(WORKSPACES)) {
    const dir = writeWorkspace(files);
    try {
      const base = `${pathToFileURL(dir).toString()}/`;
      const show = (uri: string): string => (uri.startsWith(base) ? BASE_URI + uri.slice(base.length) : uri);
      const r = await checkAll(openFolder(dir));
      for (const f of r.findings) {
        const key = `${name}:${show(f.uri).slice(BASE_URI.length)}`;
        const list = results.get(key) ?? [];
        list.push({ ...f, related: f.related?.map((x) => ({ ...x, uri: show(x.uri) })) } as DocFinding);
        results.set(key, list);
      }
    } finally {
      removeWorkspace(dir);
    }
  }
}

function produced(workspace: string, file: string): () => DocFinding[] {
  return () => {
    if (!results.size) throw new Error('prepareEnvironmentCases() has not run');
    return results.get(`${workspace}:${file}`) ?? [];
  };
}

export const environmentCases: readonly RuleCase[] = [
  fires('NPX09', "a kustomization that names a missing file: on its first line, with kustomize's words", {
    files: WORKSPACES.failing,
    target: 'apps/api/overlays/dev/kustomization.yaml',
    spans: ['resources: [../../base, missing.yaml]'],
    message: [
      '[apps/api/overlays/dev] Environment apps/api/overlays/dev was not rendered: kubectl failed',
      'missing.yaml',
      'Fix the error above',
    ],
    produce: produced('failing', 'apps/api/overlays/dev/kustomization.yaml'),
  }),
  silent('NPX09', 'overlays that render', {
    files: WORKSPACES.rendering,
    target: 'apps/api/overlays/dev/kustomization.yaml',
    clean: true,
    produce: produced('rendering', 'apps/api/overlays/dev/kustomization.yaml'),
  }),
  silent('NPX09', 'the overlay that renders beside one that fails', {
    files: WORKSPACES.failing,
    target: 'apps/api/overlays/prod/kustomization.yaml',
    clean: true,
    produce: produced('failing', 'apps/api/overlays/prod/kustomization.yaml'),
  }),
  fires('NPX10', 'includeSelectors labels in the DNS peer of a base policy, for both overlays', {
    files: WORKSPACES.trap,
    target: 'app/base/policy.yaml',
    spans: ['matchLabels:\n              k8s-app: kube-dns'],
    message: [
      '[app/dev, app/prod] app/base/kustomization.yaml adds team=shop to this peer',
      'pods in namespace kube-system are not labelled by this kustomization',
      'includeSelectors: false',
    ],
    related: [
      {
        file: 'app/base/kustomization.yaml',
        text: 'team: shop',
        message: ['these labels are added to selectors (includeSelectors)'],
      },
    ],
    produce: produced('trap', 'app/base/policy.yaml'),
  }),
  silent('NPX10', 'labels kept out of selectors (includeSelectors: false)', {
    files: WORKSPACES['no-trap'],
    target: 'app/base/policy.yaml',
    alsoAbsent: ['NPP10', 'NPP34', 'NPP35'],
    produce: produced('no-trap', 'app/base/policy.yaml'),
  }),
];
