// LSP requests -> pure features. Each handler only unpacks the parameters, finds the file, builds
// the feature context (world, settings, files, cancellation) and calls a feature. No connection
// here (server.ts wires the methods to it), so tests can call them directly.

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
import type { WorkspaceIndex } from '../workspace/index';
import { ruleDocUri } from './convert';
import { environmentHover, environmentLenses } from './environmentFeatures';
import type { EnvironmentsService } from './environments';

export class FeatureHandlers {
  constructor(
    private readonly index: WorkspaceIndex,
    /** Where a failed feature is reported (the server's log). */
    private readonly logError: (message: string) => void,
    private readonly envs?: EnvironmentsService,
  ) {}

  /**
   * The feature context of a document. `lastWorld`: completion runs on the world built before the
   * latest edit (the edited file itself is read fresh), so that typing does not wait for the world
   * rebuild that the next diagnostics pass does anyway.
   */
  private context(uri: string, token?: CancellationToken, lastWorld = false): FeatureContext | undefined {
    const index = this.index;
    const file = index.getFile(uri);
    if (!file || file.skipped) return undefined;
    const world = lastWorld ? index.lastWorld() : index.world();
    return { file, world, settings: index.settings, files: index.allFiles(), ruleDoc: ruleDocUri, token };
  }

  /** Runs a feature; a failure is logged and answered with `fallback` (never a crash). */
  private guard<T>(what: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.logError(`netpol-lens: ${what} failed: ${(e as Error).message}`);
      return fallback;
    }
  }

  hover(p: HoverParams, token?: CancellationToken): Hover | null {
    const ctx = this.context(p.textDocument.uri, token);
    if (!ctx) return null;
    const session = this.envs?.folderReading(ctx.file.uri)?.session;
    return this.guard('hover', null, () => {
      const env = session && environmentHover(session, ctx.file, p.position, ctx.settings.defaultNamespace);
      // the plain world does not hold this file: only its field documentation still applies
      const plain =
        !env || (env.object.type !== 'policy' && env.object.type !== 'workload') ? hover(ctx, p.position) : null;
      if (!env) return plain;
      const text = (h: Hover | null): string => {
        const c = h?.contents;
        return c && typeof c === 'object' && 'value' in c ? c.value : '';
      };
      const value = [text(env.hover), text(plain)].filter((x) => x).join('\n\n---\n\n');
      return { contents: { kind: 'markdown', value }, ...(plain?.range ? { range: plain.range } : {}) };
    });
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
      workspaceSymbols({ world: this.index.world(), token }, p.query ?? ''),
    );
  }

  codeLens(p: CodeLensParams, token?: CancellationToken): CodeLens[] {
    const ctx = this.context(p.textDocument.uri, token);
    if (!ctx) return [];
    const session = this.envs?.folderReading(ctx.file.uri)?.session;
    if (session) {
      return this.guard('codeLens', [], () => environmentLenses(session, ctx.file, ctx.settings.defaultNamespace));
    }
    return this.guard('codeLens', [], () => codeLenses(ctx));
  }

  inlayHint(p: InlayHintParams, token?: CancellationToken): InlayHint[] {
    const ctx = this.context(p.textDocument.uri, token);
    return ctx ? this.guard('inlayHint', [], () => inlayHints(ctx, p.range)) : [];
  }

  codeAction(p: CodeActionParams): CodeAction[] {
    const file = this.index.getFile(p.textDocument.uri);
    if (!file) return [];
    return codeActions(file, p.range, p.context.diagnostics, this.index.world(), this.index.settings);
  }
}
