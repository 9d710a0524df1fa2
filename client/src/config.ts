// Typed access to the extension's settings (client side). The server reads the same section
// through workspace/configuration (server/src/settings.ts); package.json declares the keys, and a
// unit test keeps the three in step. The language client follows `netpolLens.trace.server` by
// itself (it reads `<client id>.trace.server`).

import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/protocol';

/** The diagram's settings: a change resets the toggles of an open panel. */
export const DIAGRAM_SECTION = `${SETTINGS_SECTION}.diagram`;

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  get diagramShowReplies(): boolean {
    return this.cfg.get<boolean>('diagram.showReplies', false);
  }

  get diagramMergeEquivalent(): boolean {
    return this.cfg.get<boolean>('diagram.mergeEquivalent', true);
  }
}
