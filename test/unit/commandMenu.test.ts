// The quick pick behind the status-bar item (client/src/commandMenu.ts) on the real package.json:
// every command a user can run from the palette, with its icon, and the walkthrough.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandMenu, type CommandManifest } from '../../client/src/commandMenu';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as CommandManifest;
const SELF = 'netpolLens.showCommands';

describe('status-bar command menu', () => {
  it('offers the contributed commands but the hidden ones and itself, then the walkthrough', () => {
    const menu = commandMenu(pkg, SELF);
    const ids = menu.map((e) => e.command);
    const hidden = pkg.contributes!.menus!.commandPalette!.filter((m) => m.when === 'false').map((m) => m.command);
    const expected = pkg.contributes!.commands!.map((c) => c.command).filter((c) => c !== SELF && !hidden.includes(c));
    assert.deepEqual(ids.slice(0, -1), expected);
    for (const c of ['netpolLens.showDiagram', 'netpolLens.compareWithHead', 'netpolLens.showOutput']) {
      assert.ok(ids.includes(c), c);
    }
    assert.ok(!ids.includes(SELF) && !ids.includes('netpolLens.showSelectedWorkloads'));
    assert.deepEqual(menu.at(-1), {
      command: 'workbench.action.openWalkthrough',
      args: ['netpol-lens.netpol-lens#netpolLens.start', false],
      label: '$(book) Get started with NetworkPolicy Lens',
      description: 'Walkthrough',
    });
    const diagram = menu.find((e) => e.command === 'netpolLens.showDiagram')!;
    assert.equal(diagram.label, '$(type-hierarchy) Show Traffic Diagram');
    assert.equal(diagram.description, 'NetworkPolicy Lens');
    assert.equal(menu.find((e) => e.command === 'netpolLens.reindex')!.label, 'Re-index Workspace Manifests');
  });

  it('copes with a manifest without commands, menus or walkthroughs', () => {
    assert.deepEqual(commandMenu({}, SELF), []);
    assert.deepEqual(
      commandMenu({ contributes: { commands: [{ command: 'x', title: 'X', icon: 'media/x.svg' }] } }, SELF),
      [{ command: 'x', args: [], label: 'X', description: '' }],
    );
  });
});
