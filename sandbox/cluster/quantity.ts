const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes quantity ("128Mi", "500m", "2", "1e3") into a number; undefined if invalid. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(value.trim());
  if (!m?.[1] || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  const factor = binary[suffix] ?? decimal[suffix];
  return factor === undefined ? undefined : base * factor;
}

const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const decimalSuffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * A whole number as apimachinery's `Quantity.String()` prints it: the largest suffix that keeps
 * it exact (`7900Mi`, `50Mi`, `8089601`), binary (Ki, Mi…) or decimal (k, M…) as the quantity
 * was written. Like the real one, a binary quantity under 1024 prints as a plain number.
 */
export function formatQuantity(value: number, format: 'BinarySI' | 'DecimalSI' = 'BinarySI'): string {
  let n = Math.round(value);
  const binary = format === 'BinarySI' && Math.abs(n) >= 1024;
  const base = binary ? 1024 : 1000;
  const suffixes = binary ? binarySuffixes : decimalSuffixes;
  let exp = 0;
  while (n !== 0 && n % base === 0 && exp < suffixes.length - 1) {
    n /= base;
    exp++;
  }
  return `${n}${suffixes[exp] ?? ''}`;
}

/** A quantity as written (`1024Mi`, `0.5Gi`, `128M`) in its canonical form (`1Gi`, `512Mi`, `128M`); `0` when unset. */
export function canonicalQuantity(value: unknown): string {
  const n = parseQuantity(value);
  if (n === undefined) return '0';
  return formatQuantity(n, typeof value === 'string' && /i$/.test(value.trim()) ? 'BinarySI' : 'DecimalSI');
}
