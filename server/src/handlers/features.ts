// LSP requests -> pure features. Each handler only unpacks the parameters, finds the file, builds
// the feature context (world, settings, files, cancellation) and calls a feature. The methods are
// public so tests can call them without a connection.

import type {
  CancellationToken,
  CodeAction,
  CodeActionParams,
  CodeLens,
  CodeLensParams,
  CompletionList,
  CompletionParams,
  DefinitionParams,
  DocumentSymbol,
  DocumentSymbolParams,
  Hover,
  HoverParams,
  InlayHint,
  InlayHintParams,
  Location,
  ReferenceParams,
  SymbolInformation,
  WorkspaceSymbolParams,
} from 'vscode-languageserver/node';
import { codeActions } from '../features/codeActions';
import { codeLenses } from '../features/codeLens';
import { completion } from '../features/completion';
import type { FeatureContext } from '../features/context';
import { hover } from '../features/hover';
import { inlayHints } from '../features/inlayHints';
import { definition, references } from '../features/navigation';
import { documentSymbols, workspaceSymbols } from '../features/symbols';
import type { World } from '../analysis/world';
import type { WorkspaceIndex } from '../workspace/index';
import { ruleDocUri } from './convert';
import type { NetpolServer } from './serverInit';

export class FeatureHandlers {
  constructor(private readonly server: NetpolServer) {}

  /**
   * The feature context of a document. `lastWorld`: completion may run on the world built before
   * the latest edit (the edited file itself is read fresh), so that typing does not wait for the
   * world rebuild that the next diagnostics pass does anyway; used when the index offers
   * `lastWorld()`, else the current world is built.
   */
  private context(uri: string, token?: CancellationToken, lastWorld = false): FeatureContext | undefined {
    const index = this.server.index as WorkspaceIndex & { lastWorld?: () => World };
    const file = index.getFile(uri);
    if (!file || file.skipped) return undefined;
    const world = lastWorld && typeof index.lastWorld === 'function' ? index.lastWorld() : index.world();
    return { file, world, settings: this.server.settings(), files: index.allFiles(), ruleDoc: ruleDocUri, token };
  }

  /** Runs a feature; a failure is logged and answered with `fallback` (never a crash). */
  private guard<T>(what: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.server.connection.console.error(`netpol-lens: ${what} failed: ${(e as Error).message}`);
      return fallback;
    }
  }

  hover(p: HoverParams, token?: CancellationToken): Hover | null {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('hover', null, () => hover(ctx, p.position)) : null;
  }

  completion(p: CompletionParams, token?: CancellationToken): CompletionList {
    const empty: CompletionList = { isIncomplete: false, items: [] };
    const ctx = this.context(p.textDocument.uri, token, true);
    return ctx ? this.guard('completion', empty, () => completion(ctx, p.position)) : empty;
  }

  definition(p: DefinitionParams, token?: CancellationToken): Location[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('definition', [], () => definition(ctx, p.position)) : [];
  }

  references(p: ReferenceParams, token?: CancellationToken): Location[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('references', [], () => references(ctx, p.position, !!p.context?.includeDeclaration)) : [];
  }

  documentSymbol(p: DocumentSymbolParams, token?: CancellationToken): DocumentSymbol[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('documentSymbol', [], () => documentSymbols(ctx)) : [];
  }

  workspaceSymbol(p: WorkspaceSymbolParams, token?: CancellationToken): SymbolInformation[] {
    return this.guard('workspaceSymbol', [], () =>
      workspaceSymbols({ world: this.server.index.world(), token }, p.query ?? ''),
    );
  }

  codeLens(p: CodeLensParams, token?: CancellationToken): CodeLens[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('codeLens', [], () => codeLenses(ctx)) : [];
  }

  inlayHint(p: InlayHintParams, token?: CancellationToken): InlayHint[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('inlayHint', [], () => inlayHints(ctx, p.range)) : [];
  }

  codeAction(p: CodeActionParams): CodeAction[] {
    const file = this.server.index.getFile(p.textDocument.uri);
    if (!file) return [];
    return codeActions(file, p.range, p.context.diagnostics, this.server.index.world(), this.server.settings());
  }
}

export function registerFeatureHandlers(server: NetpolServer): FeatureHandlers {
  const c = server.connection;
  const h = new FeatureHandlers(server);
  c.onCodeAction((p) => h.codeAction(p));
  c.onHover((p, token) => h.hover(p, token));
  c.onCompletion((p, token) => h.completion(p, token));
  c.onDefinition((p, token) => h.definition(p, token));
  c.onReferences((p, token) => h.references(p, token));
  c.onDocumentSymbol((p, token) => h.documentSymbol(p, token));
  c.onWorkspaceSymbol((p, token) => h.workspaceSymbol(p, token));
  c.onCodeLens((p, token) => h.codeLens(p, token));
  c.languages.inlayHint.on((p, token) => h.inlayHint(p, token));
  return h;
}
