// What the diagram panel accepts from its webview (client/src/diagram/messages.ts): the webview
// renders untrusted manifest text, so every message and the state restored after a reload are
// checked field by field before the panel acts on them.
import { strict as assert } from 'node:assert';
import { MAX_SVG_CHARS, parseWebviewMessage, readPanelState } from '../../client/src/diagram/messages';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>';

describe('diagram panel: messages from the webview', () => {
  it('passes every well-formed message through as the protocol types it', () => {
    const messages = [
      { type: 'ready', state: { namespace: 'shop', showReplies: true, merge: false } },
      { type: 'selectNamespace', namespace: 'payments' },
      { type: 'selectEnvironment', environment: 'storefront/overlays/prod' },
      { type: 'setOptions', showReplies: true, merge: false },
      { type: 'openNode', id: 'w_frontend' },
      { type: 'openEdge', id: 'e1' },
      { type: 'copyMermaid' },
      { type: 'saveMarkdown' },
      { type: 'saveSvg', svg: SVG },
      { type: 'saveSvg', svg: `<?xml version="1.0" encoding="UTF-8"?>\n${SVG}` },
    ];
    for (const m of messages) assert.deepEqual(parseWebviewMessage(m), m);
  });

  it('drops fields that are not part of a message, and keeps the toggles that are there', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'copyMermaid', svg: SVG, extra: 1 }), { type: 'copyMermaid' });
    assert.deepEqual(parseWebviewMessage({ type: 'setOptions', merge: false, showReplies: 'yes' }), {
      type: 'setOptions',
      merge: false,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), {
      type: 'ready',
      state: { showReplies: false, merge: true },
    });
  });

  it('refuses what is not a message', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'ready',
      42,
      [],
      {},
      { type: 'unknown' },
      { type: 'selectNamespace' },
      { type: 'selectNamespace', namespace: '' },
      { type: 'selectNamespace', namespace: ['shop'] },
      { type: 'selectEnvironment' },
      { type: 'selectEnvironment', environment: '' },
      { type: 'selectEnvironment', environment: { name: 'prod' } },
      { type: 'openNode', id: 7 },
      { type: 'openEdge' },
      { type: 'saveSvg' },
      { type: 'saveSvg', svg: '<script>alert(1)</script>' },
      { type: 'saveSvg', svg: `text before ${SVG}` },
      { type: 'saveSvg', svg: `<svg>${'x'.repeat(MAX_SVG_CHARS)}</svg>` },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
  });

  it('restores a panel state from untrusted input, with the settings as defaults', () => {
    const defaults = { showReplies: true, merge: false };
    assert.deepEqual(readPanelState(undefined, defaults), { showReplies: true, merge: false });
    assert.deepEqual(readPanelState('nonsense', defaults), { showReplies: true, merge: false });
    assert.deepEqual(
      readPanelState({ namespace: 'shop', showReplies: false, merge: true, zoom: 2, other: 1 }, defaults),
      { namespace: 'shop', showReplies: false, merge: true },
    );
    assert.deepEqual(readPanelState({ namespace: 'shop', environment: 'clusters/prod' }, defaults), {
      namespace: 'shop',
      environment: 'clusters/prod',
      showReplies: true,
      merge: false,
    });
    assert.deepEqual(readPanelState({ environment: 7 }, defaults), { showReplies: true, merge: false });
    assert.deepEqual(readPanelState({ namespace: '', showReplies: 1, merge: null }, defaults), {
      showReplies: true,
      merge: false,
    });
  });

  it('passes the tiers toggle (effective or NetworkPolicies only) and nothing else in its place', () => {
    for (const tiers of ['all', 'networkpolicies']) {
      assert.deepEqual(parseWebviewMessage({ type: 'setOptions', tiers }), { type: 'setOptions', tiers });
    }
    assert.deepEqual(parseWebviewMessage({ type: 'setOptions', tiers: 'admin' }), { type: 'setOptions' });
    const defaults = { showReplies: false, merge: true };
    assert.deepEqual(readPanelState({ tiers: 'networkpolicies' }, defaults), { ...defaults, tiers: 'networkpolicies' });
    assert.deepEqual(readPanelState({ tiers: 'bogus' }, defaults), defaults);
  });
});
