// Zoom, fit and pan of the diagram area. Until the user zooms or pans, the diagram is fitted to the
// width of the panel (never enlarged past its natural size), on the first render and whenever the
// panel is resized; a zoom the user chose (buttons, Ctrl+wheel, the search) is kept in the saved
// state, and after a pan (wheel, scrollbar, drag, keys) a resize no longer moves the diagram.

/** The saved part of the panel's state this module reads and writes. */
export interface ZoomState {
  zoom?: number;
}

const MIN_ZOOM = 0.01;
const MAX_ZOOM = 8;
/** Below this scale labels are hard to read: the search zooms in to READABLE_ZOOM. */
const SMALL_ZOOM = 0.75;
const READABLE_ZOOM = 1;
const PAN_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End']);

export class DiagramView {
  /** The user zoomed or panned since the last automatic fit. */
  private moved = false;

  constructor(
    private readonly area: HTMLElement,
    private readonly state: ZoomState,
    private readonly save: () => void,
  ) {
    area.addEventListener(
      'wheel',
      (ev) => {
        if (!ev.ctrlKey) {
          this.moved = true; // scrolling is panning
          return;
        }
        ev.preventDefault();
        this.zoomBy(ev.deltaY < 0 ? 1.1 : 1 / 1.1);
      },
      { passive: false },
    );
    area.addEventListener('keydown', (ev) => {
      if (PAN_KEYS.has(ev.key)) this.moved = true;
    });
    this.dragToPan();
    new ResizeObserver(() => {
      if (this.state.zoom === undefined && !this.moved) this.apply();
    }).observe(area);
  }

  /** Whether the user zoomed or panned since the last automatic fit (tests read it from the body). */
  get adjusted(): boolean {
    return this.moved || this.state.zoom !== undefined;
  }

  private svg(): SVGSVGElement | null {
    return this.area.querySelector('svg');
  }

  /** After a new diagram is drawn; `fresh`: another namespace, so an earlier pan no longer applies. */
  rendered(fresh: boolean): void {
    if (fresh) this.moved = false;
    this.apply();
  }

  /** "Fit": the scale that shows the whole diagram, kept as the user's zoom. */
  fitAll(): void {
    const svg = this.svg();
    if (!svg) return;
    const { w, h } = naturalSize(svg);
    const { width, height } = this.room();
    this.setZoom(Math.min(width / w, Math.max(150, height) / h));
  }

  /** Double-click on "Fit": back to the automatic fit to the width. */
  automatic(): void {
    delete this.state.zoom;
    this.moved = false;
    this.save();
    this.apply();
  }

  zoomBy(f: number): void {
    const svg = this.svg();
    if (!svg) return;
    this.setZoom((this.state.zoom ?? this.autoScale(svg)) * f);
  }

  /** Scrolls `el` (inside the diagram) to the middle of the area, zooming in first when labels are too small to read. */
  reveal(el: Element): void {
    const svg = this.svg();
    if (!svg) return;
    if ((this.state.zoom ?? this.autoScale(svg)) < SMALL_ZOOM) this.setZoom(READABLE_ZOOM);
    this.moved = true;
    const a = this.area.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    this.area.scrollBy({
      left: r.left + r.width / 2 - (a.left + this.area.clientWidth / 2),
      top: r.top + r.height / 2 - (a.top + this.area.clientHeight / 2),
      behavior: 'instant',
    });
  }

  /** Sizes the SVG for the current scale. */
  apply(): void {
    const svg = this.svg();
    if (!svg) return;
    const { w, h } = naturalSize(svg);
    const scale = this.state.zoom ?? this.autoScale(svg);
    const width = `${Math.max(1, Math.floor(w * scale))}`;
    const height = `${Math.max(1, Math.floor(h * scale))}`;
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.style.width = `${width}px`;
    svg.style.height = `${height}px`;
    document.body.dataset.zoom = scale.toFixed(3);
    document.body.dataset.zoomMode = this.state.zoom !== undefined ? 'user' : 'fit-width';
  }

  private setZoom(z: number): void {
    this.state.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
    this.moved = true;
    this.save();
    this.apply();
  }

  /** The room for the diagram inside the area's padding (the scrollbar gutter is reserved in panel.css). */
  private room(): { width: number; height: number } {
    const css = getComputedStyle(this.area);
    const padX = parseFloat(css.paddingLeft) + parseFloat(css.paddingRight) || 0;
    const padY = parseFloat(css.paddingTop) + parseFloat(css.paddingBottom) || 0;
    return { width: Math.max(120, this.area.clientWidth - padX - 1), height: this.area.clientHeight - padY - 1 };
  }

  /** The automatic scale: the whole width of the diagram in the panel, never larger than natural. */
  private autoScale(svg: SVGSVGElement): number {
    return Math.min(1, Math.max(MIN_ZOOM, this.room().width / naturalSize(svg).w));
  }

  /** Dragging the background of the diagram pans it (nodes and arrows keep their clicks). */
  private dragToPan(): void {
    let from: { x: number; y: number; left: number; top: number } | undefined;
    this.area.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      // a press on a scrollbar (past the client box) is a pan as well
      const t = ev.target as Element;
      this.moved ||= t === this.area && (ev.offsetX >= this.area.clientWidth || ev.offsetY >= this.area.clientHeight);
      if (t.closest('[data-node], [data-edge], pre')) return;
      from = { x: ev.clientX, y: ev.clientY, left: this.area.scrollLeft, top: this.area.scrollTop };
    });
    this.area.addEventListener('pointermove', (ev) => {
      if (!from || !(ev.buttons & 1)) return;
      const dx = ev.clientX - from.x;
      const dy = ev.clientY - from.y;
      if (Math.abs(dx) + Math.abs(dy) < 4) return;
      this.moved = true;
      this.area.classList.add('panning');
      this.area.scrollLeft = from.left - dx;
      this.area.scrollTop = from.top - dy;
    });
    const end = (): void => {
      from = undefined;
      this.area.classList.remove('panning');
    };
    this.area.addEventListener('pointerup', end);
    this.area.addEventListener('pointercancel', end);
  }
}

export function naturalSize(svg: SVGSVGElement): { w: number; h: number } {
  const vb = svg.viewBox.baseVal;
  if (vb && vb.width > 0) return { w: vb.width, h: vb.height };
  const r = svg.getBBox();
  return { w: r.width || 1, h: r.height || 1 };
}
