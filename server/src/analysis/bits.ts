// Fixed-size bitsets over workload classes (the fast connectivity engine's sets of classes).

export class Bits {
  readonly w: Uint32Array;
  constructor(
    readonly n: number,
    words?: Uint32Array,
  ) {
    this.w = words ?? new Uint32Array((n + 31) >>> 5);
  }
  static full(n: number): Bits {
    const b = new Bits(n);
    b.w.fill(0xffffffff);
    const extra = b.w.length * 32 - n;
    if (extra > 0 && b.w.length) b.w[b.w.length - 1] = 0xffffffff >>> extra;
    return b;
  }
  set(i: number): void {
    this.w[i >>> 5] |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.w[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  and(o: Bits): Bits {
    const r = new Bits(this.n);
    for (let i = 0; i < r.w.length; i++) r.w[i] = this.w[i] & o.w[i];
    return r;
  }
  andNot(o: Bits): Bits {
    const r = new Bits(this.n);
    for (let i = 0; i < r.w.length; i++) r.w[i] = this.w[i] & ~o.w[i];
    return r;
  }
  orInPlace(o: Bits): void {
    for (let i = 0; i < this.w.length; i++) this.w[i] |= o.w[i];
  }
  isEmpty(): boolean {
    for (let i = 0; i < this.w.length; i++) if (this.w[i]) return false;
    return true;
  }
  forEach(fn: (i: number) => void): void {
    const w = this.w;
    for (let k = 0; k < w.length; k++) {
      let x = w[k];
      while (x) {
        const t = x & -x;
        fn((k << 5) + (31 - Math.clz32(t)));
        x ^= t;
      }
    }
  }
}
