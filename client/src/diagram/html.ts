// THE one HTML helper for the diagram panel (and any future panel): a strict Content-Security-Policy
// with a fresh nonce, every resource through asWebviewUri, nothing from the network. It does not
// import `vscode`, so tests can render it with a stand-in webview.

import { randomBytes } from 'node:crypto';

/** The parts of vscode.Uri the helper needs. */
export interface UriLike<U> {
  readonly path: string;
  with(change: { path: string }): U;
}

/** The parts of vscode.Webview the helper needs. */
export interface WebviewLike<U> {
  readonly cspSource: string;
  asWebviewUri(uri: U): { toString(): string };
}

/** A fresh nonce for one render of the HTML (128 random bits, hex). */
export function createNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The folder the webview may load from; pass it as `localResourceRoots`. */
export function mediaRoot<U extends UriLike<U>>(extensionUri: U): U {
  return extensionUri.with({ path: `${extensionUri.path.replace(/\/+$/, '')}/media` });
}

function mediaFile<U extends UriLike<U>>(extensionUri: U, file: string): U {
  const root = mediaRoot(extensionUri);
  return root.with({ path: `${root.path}/${file}` });
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The Content-Security-Policy of the panel. Styles allow 'unsafe-inline' because mermaid writes a
 * <style> element and style attributes into the SVG it renders; scripts only run with the nonce.
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The panel's HTML: toolbar, legend, message line and the diagram area; media/dist/main.js fills it. */
export function renderPanelHtml<U extends UriLike<U>>(
  webview: WebviewLike<U>,
  extensionUri: U,
  nonce: string = createNonce(),
): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
    throw new Error('renderPanelHtml: the nonce must be at least 16 base64/hex characters');
  }
  const script = attr(webview.asWebviewUri(mediaFile(extensionUri, 'dist/main.js')).toString());
  const css = attr(webview.asWebviewUri(mediaFile(extensionUri, 'panel.css')).toString());
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>Traffic diagram</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Diagram options">
  <label class="field" id="environment-field" hidden>Environment
    <select id="environment" aria-label="Environment"></select>
  </label>
  <label class="field">Namespace
    <select id="namespace" aria-label="Namespace"></select>
  </label>
  <label class="field check"><input type="checkbox" id="replies"> Show replies</label>
  <label class="field check"><input type="checkbox" id="merge" checked> Merge identical</label>
  <label class="field">Policies
    <select id="tiers" aria-label="Which policies decide" title="Admin tiers: AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy">
      <option value="all">Effective (all tiers)</option>
      <option value="networkpolicies">NetworkPolicies only</option>
    </select>
  </label>
  <span class="spacer"></span>
  <span class="field search" role="search">
    <input type="search" id="search" placeholder="Find a node" aria-label="Find a node by name (Enter: next, Escape: clear)" title="Find a node by name (Ctrl+F; Enter: next, Shift+Enter: previous, Escape: clear)" spellcheck="false" autocomplete="off" maxlength="200">
    <span id="search-count" class="search-count" aria-live="polite"></span>
  </span>
  <button type="button" id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
  <button type="button" id="zoom-fit" title="Show the whole diagram (double-click: automatic size)" aria-label="Fit the diagram">Fit</button>
  <button type="button" id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <button type="button" id="copy" title="Copy the Mermaid source">Copy Mermaid</button>
  <button type="button" id="save-md" title="Save as Markdown (a mermaid code block)">Save Markdown</button>
  <button type="button" id="save-svg" title="Save the rendered SVG">Save SVG</button>
</header>
<ul class="legend" aria-label="Legend">
  <li><span class="swatch line ingress"></span>ingress</li>
  <li><span class="swatch line egress"></span>egress</li>
  <li><span class="swatch line internal"></span>inside the namespace</li>
  <li><span class="swatch line reply"></span>reply</li>
  <li><span class="swatch line admin-accepted"></span>allowed by an admin policy</li>
  <li><span class="swatch line admin-denied"></span>denied by an admin policy</li>
  <li><span class="swatch box open"></span>open: not isolated, allows everything</li>
  <li><span class="swatch box group"></span>group: what this namespace's rules allow</li>
</ul>
<div id="message" class="message" role="status" hidden></div>
<div id="stats" class="stats" aria-live="polite"></div>
<main id="diagram" class="diagram" aria-label="Traffic diagram"><p class="placeholder">Loading the diagram…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>
`;
}
