// Counter columns as ipvsadm prints them: a space and eight right-aligned characters; exact with
// --exact (wider numbers push the line out), otherwise numbers of more than eight digits shortened
// to thousands (K), millions (M) or billions (G). Observed: 107100000 prints as "107100K"; the M
// and G steps follow the man page's description.
const UNITS: readonly [bigint, string][] = [[1000n, 'K'], [1000000n, 'M'], [1000000000n, 'G']];

function shortened(value: bigint): string {
  if (value < 100000000n) return value.toString();
  for (const [divisor, suffix] of UNITS) {
    const scaled = value / divisor;
    if (scaled < 10000000n) return `${scaled}${suffix}`;
  }
  return `${value / 1000000000n}G`;
}

export function counterColumn(value: bigint, exact: boolean): string {
  return ` ${(exact ? value.toString() : shortened(value)).padStart(8)}`;
}
