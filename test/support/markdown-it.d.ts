// The part of markdown-it (installed with @vscode/vsce; VS Code's Markdown preview renders with it)
// that the escaping tests use to render the reports.
declare module 'markdown-it' {
  interface Options {
    html?: boolean;
    linkify?: boolean;
  }
  export default class MarkdownIt {
    constructor(options?: Options);
    render(markdown: string): string;
    renderInline(markdown: string): string;
  }
}
