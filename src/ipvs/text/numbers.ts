// Counter columns as ipvsadm prints them: nine characters wide, exact with --exact, otherwise
// numbers of more than eight digits shortened to thousands (K), millions (M) or billions (G).
// Observed: 107100000 prints as "107100K"; the M and G steps follow the man page's description.
const UNITS: readonly [bigint, string][] = [[1000n, 'K'], [1000000n, 'M'], [1000000000n, 'G']];

export function counterColumn(value: bigint, exact: boolean): string {
  if (exact || value < 100000000n) return value.toString().padStart(9);
  for (const [divisor, suffix] of UNITS) {
    const scaled = value / divisor;
    if (scaled < 10000000n) return `${scaled}${suffix}`.padStart(9);
  }
  return `${value / 1000000000n}G`.padStart(9);
}
