// Truncated SVD of a sparse symmetric matrix by randomized range finding with power
// iterations (Halko, Martinsson & Tropp 2011), in plain TypeScript on typed arrays:
// the builtin embedder needs only the top ~100 singular vectors of a PPMI matrix.

/** A square sparse matrix in compressed sparse row form. */
export interface Csr {
  n: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/** A deterministic PRNG (mulberry32), so the same knowledge base always learns the same vectors. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Y = A·X for row-major dense X (n × l). */
function multiply(a: Csr, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.n * l);
  for (let r = 0; r < a.n; r++) {
    const out = r * l;
    for (let p = a.rowPtr[r]!; p < a.rowPtr[r + 1]!; p++) {
      const v = a.vals[p]!;
      const src = a.cols[p]! * l;
      for (let j = 0; j < l; j++) y[out + j]! += v * x[src + j]!;
    }
  }
  return y;
}

/** Orthonormal columns spanning those of row-major Y (n × l), by modified Gram-Schmidt. */
function orthonormalize(y: Float64Array, n: number, l: number): Float64Array {
  const columns: Float64Array[] = [];
  for (let j = 0; j < l; j++) {
    const c = new Float64Array(n);
    for (let r = 0; r < n; r++) c[r] = y[r * l + j]!;
    for (const q of columns) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += q[r]! * c[r]!;
      for (let r = 0; r < n; r++) c[r]! -= dot * q[r]!;
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += c[r]! * c[r]!;
    norm = Math.sqrt(norm);
    // A column already in the span carries no information: leave it zero.
    if (norm > 1e-10) for (let r = 0; r < n; r++) c[r]! /= norm;
    else c.fill(0);
    columns.push(c);
  }
  const q = new Float64Array(n * l);
  columns.forEach((c, j) => { for (let r = 0; r < n; r++) q[r * l + j] = c[r]!; });
  return q;
}

/** Eigen-decomposition of a small symmetric matrix (l × l, row-major) by cyclic Jacobi rotations. */
function symmetricEigen(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export interface SvdOptions {
  rank: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

/**
 * The top `rank` left singular vectors U (row-major n × rank) and singular values
 * of a symmetric sparse matrix. Symmetry lets A stand in for Aᵀ throughout.
 */
export function truncatedSvd(a: Csr, options: SvdOptions): { u: Float64Array; sigma: Float64Array; rank: number } {
  const n = a.n;
  const rank = Math.min(options.rank, n);
  const l = Math.min(n, rank + (options.oversample ?? 10));
  const random = seededRandom(options.seed ?? 42);
  const omega = new Float64Array(n * l);
  for (let i = 0; i < omega.length; i++) {
    // Box–Muller: Gaussian test vectors.
    omega[i] = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  }
  let q = orthonormalize(multiply(a, omega, l), n, l);
  for (let i = 0; i < (options.powerIterations ?? 2); i++) q = orthonormalize(multiply(a, q, l), n, l);
  // B = Qᵀ A, so B Bᵀ = (A Q)ᵀ (A Q): its eigenvectors rotate Q onto A's singular vectors.
  const z = multiply(a, q, l);
  const gram = new Float64Array(l * l);
  for (let r = 0; r < n; r++) {
    const row = r * l;
    for (let i = 0; i < l; i++) {
      const zi = z[row + i]!;
      if (zi === 0) continue;
      for (let j = i; j < l; j++) gram[i * l + j]! += zi * z[row + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i]!;
  const { values, vectors } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!).slice(0, rank);
  const sigma = Float64Array.from(order, (i) => Math.sqrt(Math.max(0, values[i]!)));
  const u = new Float64Array(n * rank);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < rank; c++) {
      const col = order[c]!;
      let sum = 0;
      for (let k = 0; k < l; k++) sum += q[r * l + k]! * vectors[k * l + col]!;
      u[r * rank + c] = sum;
    }
  }
  return { u, sigma, rank };
}
