// What the status-bar item offers: the extension's own commands, read from its manifest
// (contributes.commands, without those hidden from the command palette), and the walkthrough.
// No `vscode` import: the unit tests read the real package.json through it.

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}

/** The parts of package.json read here. */
export interface CommandManifest {
  publisher?: string;
  name?: string;
  contributes?: {
    commands?: ManifestCommand[];
    menus?: { commandPalette?: Array<{ command: string; when?: string }> };
    walkthroughs?: Array<{ id: string; title: string }>;
  };
}

export interface MenuEntry {
  /** The command to run, with its arguments. */
  command: string;
  args: unknown[];
  /** `$(icon) Title` for the quick pick. */
  label: string;
  description: string;
}

/** The quick pick entries: every command a user can run from the palette (but `self`), then the walkthrough. */
export function commandMenu(manifest: CommandManifest, self: string): MenuEntry[] {
  const c = manifest.contributes ?? {};
  const hidden = new Set((c.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  const entries: MenuEntry[] = (c.commands ?? [])
    .filter((x) => x.command !== self && !hidden.has(x.command))
    .map((x) => ({
      command: x.command,
      args: [],
      label: `${/^\$\([\w~-]+\)$/.test(x.icon ?? '') ? `${x.icon} ` : ''}${x.title}`,
      description: x.category ?? '',
    }));
  const walkthrough = c.walkthroughs?.[0];
  if (walkthrough && manifest.publisher && manifest.name) {
    entries.push({
      command: 'workbench.action.openWalkthrough',
      args: [`${manifest.publisher}.${manifest.name}#${walkthrough.id}`, false],
      label: `$(book) ${walkthrough.title}`,
      description: 'Walkthrough',
    });
  }
  return entries;
}
