// Which documents are templates (Helm / Go templates; left alone): `{{` in the YAML
// content, not in a comment. A comment that mentions `{{ }}` must not switch the checks off.
import { strict as assert } from 'node:assert';
import { buildWorld } from '../../server/src/analysis/world';
import { parseDocument, parseFile } from '../../server/src/model/document';
import { checkFile } from '../../server/src/rules/registry';
import { readSettings } from '../../server/src/settings';

const POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: web}\nspec:\n  podSelector: {}\n  policyTypes: [Sideways]\n';

describe('template documents', () => {
  it('a {{ }} in a comment does not make a template, and the document is checked', () => {
    for (const text of [
      `# see {{ docs }}\n${POLICY}`,
      `# {{- if .Values.x }}\n${POLICY}# {{- end }}\n`,
      POLICY.replace('podSelector: {}', 'podSelector: {} # {{ .Values.selector }}'),
      POLICY.replace('policyTypes', '  # {% raw %}\n  policyTypes'),
      `#{{ x }}\n${POLICY}`,
    ]) {
      assert.equal(parseDocument(text).kind, 'k8s', text);
      const f = parseFile('file:///ws/p.yaml', text);
      const rules = checkFile(f, buildWorld([f]), readSettings({})).map((x) => x.rule);
      assert.ok(rules.includes('NPV05'), `${text}\n${rules.join(',')}`);
    }
  });

  it('{{ in the content makes a template', () => {
    for (const text of [
      'kind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n',
      'kind: NetworkPolicy\nmetadata:\n  name: x-{{ include "n" . }} # a comment\n',
      '{{- if .Values.enabled }}\nkind: NetworkPolicy\n{{- end }}\n',
      'kind: NetworkPolicy\nmetadata:\n  name: "x # {{ .Values.n }}"\n',
      "kind: NetworkPolicy\nmetadata:\n  name: 'x # {{ .Values.n }}'\n",
      'kind: NetworkPolicy\nmetadata:\n  annotations:\n    a: b#{{ c }}\n',
      'kind: ConfigMap\ndata:\n  script: |\n    # {{ .Values.script }}\n    echo\n',
      '{{/* a Helm comment is template text */}}\nkind: NetworkPolicy\n',
    ]) {
      assert.equal(parseDocument(text).kind, 'template', text);
    }
    assert.equal(
      parseFile('file:///ws/a.json', '{"kind": "Pod", "metadata": {"name": "{{ x }}"}}').documents[0].kind,
      'template',
    );
  });
});
