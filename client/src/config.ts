// Typed access to the extension's settings (client side). The server reads the same section
// through workspace/configuration (server/src/settings.ts); package.json declares the keys, and a
// unit test keeps the three in step.

import * as vscode from 'vscode';

export const SECTION = 'netpolLens';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get trace(): TraceLevel {
    return this.cfg.get<TraceLevel>('trace.server', 'off');
  }

  get diagramShowReplies(): boolean {
    return this.cfg.get<boolean>('diagram.showReplies', false);
  }

  get diagramMergeEquivalent(): boolean {
    return this.cfg.get<boolean>('diagram.mergeEquivalent', true);
  }

  /** Settings whose change needs nothing but a refresh (the server pulls the rest itself). */
  static affectsDiagram(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${SECTION}.diagram`);
  }
}
