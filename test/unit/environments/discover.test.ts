// Environment discovery (docs/environments.md): top-level kustomizations, Helm charts once per
// values file, the plain environment of the manifests no environment reads, and the settings that
// add, name, exclude or tune environments. Pure: an in-memory list of files.
import { strict as assert } from 'node:assert';
import {
  affectsDiscovery,
  discoverEnvironments,
  environmentsFeeding,
  type FileView,
} from '../../../server/src/environments/discover';
import { readKustomization } from '../../../server/src/environments/kustomization';
import { readSettings } from '../../../server/src/settings';

function view(files: Record<string, string>): FileView {
  return { files: Object.keys(files).sort(), read: (rel) => files[rel] };
}

const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec: {podSelector: {}}\n';

const GITOPS: Record<string, string> = {
  'apps/api/base/kustomization.yaml': 'resources: [deploy.yaml, netpol.yaml]\n',
  'apps/api/base/deploy.yaml': 'kind: Deployment\n',
  'apps/api/base/netpol.yaml': POLICY,
  'apps/api/base/unlisted.yaml': POLICY,
  'apps/api/overlays/dev/kustomization.yaml': 'namespace: dev\nresources: [../../base]\n',
  'apps/api/overlays/prod/kustomization.yaml': [
    'namespace: prod',
    'resources: [../../base, allow-monitoring.yaml, https://github.com/example/remote//base?ref=v1]',
    'components: [../../../../components/mon]',
    'patches:',
    '  - path: port.yaml',
    'patchesStrategicMerge: [smp.yaml, "apiVersion: v1\\nkind: X\\n"]',
    'patchesJson6902: [{target: {kind: NetworkPolicy, name: p}, path: json.yaml}]',
    'configMapGenerator: [{name: c, files: [key=conf.properties], envs: [app.env]}]',
    '',
  ].join('\n'),
  'apps/api/overlays/prod/allow-monitoring.yaml': POLICY,
  'apps/api/overlays/prod/port.yaml': POLICY,
  'apps/api/overlays/prod/smp.yaml': POLICY,
  'apps/api/overlays/prod/json.yaml': '- op: add\n  path: /spec/x\n  value: 1\n',
  'apps/api/overlays/prod/conf.properties': 'a=b\n',
  'apps/api/overlays/prod/app.env': 'A=1\n',
  'components/mon/kustomization.yaml': 'kind: Component\nresources: [mon.yaml]\n',
  'components/mon/mon.yaml': POLICY,
  'charts/shop/Chart.yaml': 'name: shop\n',
  'charts/shop/values.yaml': 'a: 1\n',
  'charts/shop/values-prod.yaml': 'a: 2\n',
  'charts/shop/values.staging.yaml': 'a: 3\n',
  'charts/shop/templates/np.yaml': 'kind: NetworkPolicy\nmetadata: {name: {{ .Release.Name }}}\n',
  'charts/shop/templates/_helpers.tpl': '{{/* x */}}\n',
  'charts/shop/charts/sub/Chart.yaml': 'name: sub\n',
  'plain/policy.yaml': POLICY,
  'README.md': '# x\n',
};

describe('environments: discovery', () => {
  const d = discoverEnvironments(view(GITOPS));
  const byName = new Map(d.environments.map((e) => [e.name, e]));

  it('finds top-level kustomizations, charts once per values file, and the plain environment', () => {
    assert.deepEqual(
      d.environments.map((e) => `${e.name} ${e.kind}`),
      [
        '. plain',
        'apps/api/overlays/dev kustomize',
        'apps/api/overlays/prod kustomize',
        'charts/shop helm',
        'charts/shop@values-prod.yaml helm',
        'charts/shop@values.staging.yaml helm',
      ],
    );
    assert.deepEqual(d.warnings, []);
  });

  it('an overlay reads its kustomization closure: bases, components, patches of all forms, generator files', () => {
    const prod = byName.get('apps/api/overlays/prod')!;
    assert.equal(prod.definition, 'apps/api/overlays/prod/kustomization.yaml');
    assert.deepEqual(prod.inputs, [
      'apps/api/base/deploy.yaml',
      'apps/api/base/kustomization.yaml',
      'apps/api/base/netpol.yaml',
      'apps/api/overlays/prod/allow-monitoring.yaml',
      'apps/api/overlays/prod/app.env',
      'apps/api/overlays/prod/conf.properties',
      'apps/api/overlays/prod/json.yaml',
      'apps/api/overlays/prod/kustomization.yaml',
      'apps/api/overlays/prod/port.yaml',
      'apps/api/overlays/prod/smp.yaml',
      'components/mon/kustomization.yaml',
      'components/mon/mon.yaml',
    ]);
    assert.equal(prod.external, true, 'a remote base');
    assert.equal(byName.get('apps/api/overlays/dev')!.external, undefined);
  });

  it('the plain environment holds only manifests no environment reads (no patch, template or chart file)', () => {
    assert.deepEqual(byName.get('.')!.inputs, ['apps/api/base/unlisted.yaml', 'plain/policy.yaml']);
  });

  it('a chart environment reads the chart folder but not the other values variants', () => {
    const prod = byName.get('charts/shop@values-prod.yaml')!;
    assert.deepEqual(prod.values, ['values-prod.yaml']);
    assert.ok(prod.inputs.includes('charts/shop/templates/_helpers.tpl'));
    assert.ok(prod.inputs.includes('charts/shop/charts/sub/Chart.yaml'), 'subcharts belong to the chart');
    assert.ok(!prod.inputs.includes('charts/shop/values.staging.yaml'));
    assert.deepEqual(byName.get('charts/shop')!.values, []);
  });

  it('says which environments a file feeds, and which files can change the set of environments', () => {
    const envs = d.environments;
    assert.deepEqual(environmentsFeeding(envs, 'apps/api/base/netpol.yaml'), [
      'apps/api/overlays/dev',
      'apps/api/overlays/prod',
    ]);
    assert.deepEqual(environmentsFeeding(envs, 'plain/policy.yaml'), ['.']);
    assert.deepEqual(environmentsFeeding(envs, 'charts/shop/templates/new.yaml'), [
      'charts/shop',
      'charts/shop@values-prod.yaml',
      'charts/shop@values.staging.yaml',
    ]);
    assert.ok(affectsDiscovery('x/kustomization.yml') && affectsDiscovery('c/values-qa.yaml'));
    assert.ok(!affectsDiscovery('x/policy.yaml'));
  });

  it('a chart that a kustomization inflates (helmCharts) is not an environment of its own', () => {
    const r = discoverEnvironments(
      view({
        'app/kustomization.yaml': 'helmCharts: [{name: db, valuesFile: db-values.yaml}]\n',
        'app/db-values.yaml': 'x: 1\n',
        'app/charts/db/Chart.yaml': 'name: db\n',
        'app/charts/db/templates/a.yaml': POLICY,
      }),
    );
    assert.deepEqual(
      r.environments.map((e) => e.name),
      ['app'],
    );
    assert.deepEqual(r.environments[0].inputs, [
      'app/charts/db/Chart.yaml',
      'app/charts/db/templates/a.yaml',
      'app/db-values.yaml',
      'app/kustomization.yaml',
    ]);
  });

  it('the settings add, name, exclude and tune environments', () => {
    const settings = readSettings({
      environments: [
        { path: 'apps/api/overlays/dev', name: 'dev', flags: ['--enable-helm'] },
        { path: 'apps/api/overlays/prod', exclude: true },
        { path: 'charts/shop', valuesFiles: ['values-prod.yaml', 'values.staging.yaml'], name: 'shop-both' },
        { path: 'charts/shop', releaseName: 'web', namespace: 'shop' },
        { path: 'apps/api/base' },
        { path: 'nowhere' },
      ],
    });
    const r = discoverEnvironments(view(GITOPS), settings.environments);
    const names = r.environments.map((e) => e.name);
    assert.deepEqual(names, [
      '.',
      'apps/api/base',
      'charts/shop',
      'charts/shop@values-prod.yaml',
      'charts/shop@values.staging.yaml',
      'dev',
      'shop-both',
    ]);
    const get = (n: string) => r.environments.find((e) => e.name === n)!;
    assert.deepEqual(get('dev').flags, ['--enable-helm']);
    assert.deepEqual(get('shop-both').values, ['values-prod.yaml', 'values.staging.yaml']);
    assert.equal(get('shop-both').configured, true);
    assert.equal(get('charts/shop@values-prod.yaml').releaseName, 'web');
    assert.equal(get('charts/shop').namespace, 'shop');
    // the excluded overlay's own files are plain manifests again
    assert.ok(get('.').inputs.includes('apps/api/overlays/prod/allow-monitoring.yaml'));
    assert.match(r.warnings.join('\n'), /environments\[5\] \(nowhere\): no kustomization or Helm chart/);
  });

  it('without kustomizations or charts there is only the plain environment, and none without manifests', () => {
    assert.deepEqual(
      discoverEnvironments(view({ 'a.yaml': POLICY, 'b.txt': 'x' })).environments.map((e) => e.name),
      ['.'],
    );
    assert.deepEqual(discoverEnvironments(view({ 'b.txt': 'x' })).environments, []);
  });

  it('reads kustomization files leniently', () => {
    const k = readKustomization(
      'commonLabels: {team: a}\nlabels: [{pairs: {x: y}}, {pairs: {z: w}, includeSelectors: true}]\nbases: [../b]\n',
    );
    assert.deepEqual(k.labels, [
      { pairs: { team: 'a' }, includeSelectors: true },
      { pairs: { x: 'y' }, includeSelectors: false },
      { pairs: { z: 'w' }, includeSelectors: true },
    ]);
    assert.deepEqual(k.resources, ['../b']);
    assert.ok(readKustomization('resources: [a\n').error);
    assert.ok(readKustomization('- a\n').error);
    assert.equal(readKustomization('').error, undefined);
  });
});
