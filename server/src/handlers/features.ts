// LSP requests -> pure features. Each handler finds the file and document, then calls a feature.

import type { NetpolServer } from './serverInit';
import { codeActions } from '../features/codeActions';

export function registerFeatureHandlers(server: NetpolServer): void {
  const c = server.connection;
  c.onCodeAction((p) => {
    const file = server.index.getFile(p.textDocument.uri);
    if (!file) return [];
    return codeActions(file, p.range, p.context.diagnostics, server.index.world(), server.settings());
  });
}
