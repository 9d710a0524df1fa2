// "Find a node" in the diagram: what is typed is plain text (no HTML, no pattern), matched without
// case against each node's title and the names of the workloads it stands for. Matches are
// highlighted, the current one is scrolled into view; Enter goes to the next (Shift+Enter: the
// previous), Escape clears the search.

import type { DiagramNode } from '../../server/src/protocol/webview';

export class NodeSearch {
  private nodes: Record<string, DiagramNode> = {};
  private matches: Element[] = [];
  private index = -1;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly count: HTMLElement,
    private readonly area: HTMLElement,
    private readonly reveal: (el: Element) => void,
  ) {
    input.addEventListener('input', () => this.run(true));
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        if (this.matches.length) this.go(this.index + (ev.shiftKey ? -1 : 1));
        else this.run(true);
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        this.clear();
      }
    });
    // Ctrl+F / Cmd+F in the panel goes to the search box
    document.addEventListener('keydown', (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 'f') {
        ev.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  /** A new diagram was drawn: the same search runs on it, without moving the view. */
  rendered(nodes: Record<string, DiagramNode>): void {
    this.nodes = nodes;
    this.run(false);
  }

  clear(): void {
    this.input.value = '';
    this.run(false);
  }

  private run(reveal: boolean): void {
    const svg = this.area.querySelector('svg');
    for (const el of this.area.querySelectorAll('.np-match')) el.classList.remove('np-match', 'np-current');
    const query = this.input.value.trim().toLowerCase();
    svg?.classList.toggle('np-searching', query !== '');
    this.matches = [];
    this.index = -1;
    if (!query || !svg) {
      this.count.textContent = '';
      return;
    }
    for (const g of svg.querySelectorAll<SVGGElement>('g.node[data-node]')) {
      const n = this.nodes[g.dataset.node ?? ''];
      if (n && searchText(n).includes(query)) this.matches.push(g);
    }
    for (const g of this.matches) g.classList.add('np-match');
    if (!this.matches.length) {
      this.count.textContent = 'no match';
      return;
    }
    if (reveal) this.go(0);
    else this.count.textContent = `${this.matches.length} found`;
  }

  private go(i: number): void {
    const n = this.matches.length;
    this.matches[this.index]?.classList.remove('np-current');
    this.index = ((i % n) + n) % n;
    const el = this.matches[this.index];
    el.classList.add('np-current');
    this.count.textContent = `${this.index + 1} of ${n}`;
    this.reveal(el);
  }
}

/** The lower-case text a node is found by: its title and its workloads' names. */
export function searchText(n: DiagramNode): string {
  return [n.title, ...n.workloads.map((w) => `${w.namespace}/${w.name}`)].join('\n').toLowerCase();
}
