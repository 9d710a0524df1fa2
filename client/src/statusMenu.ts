// The status-bar item's command: a quick pick of the extension's commands (client/src/commandMenu.ts),
// and the context key that completes the walkthrough's hover step once a hover was shown.

import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { commandMenu, type CommandManifest } from './commandMenu';

export const SHOW_COMMANDS = 'netpolLens.showCommands';
/** Set once a netpol-lens hover was shown (walkthrough step "hover", completionEvents onContext:). */
export const HOVER_SEEN_CONTEXT = 'netpolLens.walkthrough.hoverSeen';

export function registerCommandMenu(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_COMMANDS, async () => {
    const entries = commandMenu(context.extension.packageJSON as CommandManifest, SHOW_COMMANDS);
    const picked = await vscode.window.showQuickPick(
      entries.map((e) => ({ label: e.label, description: e.description, entry: e })),
      { title: 'NetworkPolicy Lens', placeHolder: 'Run a NetworkPolicy Lens command', matchOnDescription: true },
    );
    if (picked) await vscode.commands.executeCommand(picked.entry.command, ...picked.entry.args);
  });
}

/** Language client middleware that notes the first hover with content (for the walkthrough). */
export function walkthroughMiddleware(): Middleware {
  let seen = false;
  return {
    provideHover: async (document, position, token, next) => {
      const hover = await next(document, position, token);
      if (hover && !seen) {
        seen = true;
        void vscode.commands.executeCommand('setContext', HOVER_SEEN_CONTEXT, true);
      }
      return hover;
    },
  };
}
