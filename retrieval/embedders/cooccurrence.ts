// Word co-occurrence counts and their positive PMI matrix, on typed arrays: a
// JavaScript Map of a million number keys costs seconds and hundreds of MB.
import type { Csr } from './svd.ts';

/** Symmetric pair counts for words 0..v-1 in an open-addressing hash table. */
export class PairCounts {
  private keys: Int32Array;
  private values: Float32Array;
  private used = 0;

  constructor(private readonly v: number, capacity = 1 << 16) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float32Array(capacity);
  }

  get size(): number {
    return this.used;
  }

  add(a: number, b: number, weight: number): void {
    if (a === b) return;
    const key = a < b ? a * this.v + b : b * this.v + a;
    if (this.used * 2 >= this.keys.length) this.grow();
    const slot = this.slot(key);
    if (this.keys[slot] === -1) {
      this.keys[slot] = key;
      this.used++;
    }
    this.values[slot]! += weight;
  }

  forEach(visit: (a: number, b: number, count: number) => void): void {
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (key !== -1) visit(Math.floor(key / this.v), key % this.v, this.values[i]!);
    }
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let i = Math.imul(key, 0x9e3779b1) & mask;
    while (this.keys[i] !== -1 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Float32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === -1) continue;
      const slot = this.slot(keys[i]!);
      this.keys[slot] = keys[i]!;
      this.values[slot] = values[i]!;
    }
  }
}

/** Positive PMI with the context distribution smoothed by α = 0.75 (Levy, Goldberg & Dagan 2015), as a symmetric CSR matrix. */
export function ppmiMatrix(counts: PairCounts, v: number): Csr {
  const rowSum = new Float64Array(v);
  let total = 0;
  counts.forEach((a, b, c) => {
    rowSum[a]! += c;
    rowSum[b]! += c;
    total += 2 * c;
  });
  const smoothed = Float64Array.from(rowSum, (c) => c ** 0.75);
  const smoothedTotal = smoothed.reduce((x, y) => x + y, 0);
  const logP = Float64Array.from(smoothed, (c) => Math.log(c / smoothedTotal));
  const pmi = (a: number, b: number, c: number): number => Math.log(c / total) - logP[a]! - logP[b]!;
  // Two passes, count then fill: rows need no sorting for a matrix product.
  const rowPtr = new Int32Array(v + 1);
  counts.forEach((a, b, c) => {
    if (pmi(a, b, c) <= 0) return;
    rowPtr[a + 1]!++;
    rowPtr[b + 1]!++;
  });
  for (let r = 0; r < v; r++) rowPtr[r + 1]! += rowPtr[r]!;
  const fill = rowPtr.slice(0, v);
  const cols = new Int32Array(rowPtr[v]!);
  const vals = new Float32Array(rowPtr[v]!);
  counts.forEach((a, b, c) => {
    const value = pmi(a, b, c);
    if (value <= 0) return;
    cols[fill[a]!] = b;
    vals[fill[a]!++] = value;
    cols[fill[b]!] = a;
    vals[fill[b]!++] = value;
  });
  return { n: v, rowPtr, cols, vals };
}
