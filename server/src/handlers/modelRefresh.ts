// Telling the editor that the cluster model changed: the diagram hears of it (netpolLens/modelChanged)
// within 250 ms, and the editor is asked to fetch CodeLenses and inlay hints again (they read other
// files: selected workloads, named ports) at most once a second, and not when the only open
// documents are the ones being edited (the editor asks for an edited document's lenses and hints by
// itself; the lenses of a 9,000-document file take 50-200 ms).

import { CodeLensRefreshRequest, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ModelChangedNotification } from '../protocol';

const DIAGRAM_DELAY_MS = 250;
const REFRESH_DELAY_MS = 1000;

export class ModelRefresh {
  /** What the client can refresh (from its capabilities at initialize). */
  canRefresh = { inlayHints: false, codeLenses: false };
  private version = 0;
  /** How many changes were reported (for the work counters). */
  get changes(): number {
    return this.version;
  }
  private modelTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Open documents edited since the last refresh request, and whether anything else changed. */
  private readonly editedSinceRefresh = new Set<string>();
  private externalSinceRefresh = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** The model changed; `source`: the open document whose edit caused it, if that is the cause. */
  changed(source?: string): void {
    this.version++;
    if (source) this.editedSinceRefresh.add(source);
    else this.externalSinceRefresh = true;
    this.modelTimer ??= setTimeout(() => {
      this.modelTimer = null;
      void this.connection.sendNotification(ModelChangedNotification, { version: this.version });
    }, DIAGRAM_DELAY_MS);
    if (this.canRefresh.inlayHints || this.canRefresh.codeLenses) {
      this.refreshTimer ??= setTimeout(() => {
        this.refreshTimer = null;
        this.refreshEditor();
      }, REFRESH_DELAY_MS);
    }
  }

  private refreshEditor(): void {
    const others = this.externalSinceRefresh || this.documents.all().some((d) => !this.editedSinceRefresh.has(d.uri));
    this.editedSinceRefresh.clear();
    this.externalSinceRefresh = false;
    if (!others) return;
    if (this.canRefresh.inlayHints) this.connection.languages.inlayHint.refresh().catch(() => undefined);
    if (this.canRefresh.codeLenses) this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }
}
