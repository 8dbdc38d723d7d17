// virtual_server_group address ranges ("192.168.200.1-10", "192.168.200.250-192.168.201.10",
// "192.168.202.8/29" and their IPv6 forms) as the list of addresses they cover, and one spelling
// per address so config text and the kernel's dump compare equal.
import { isIPv4, isIPv6 } from 'node:net';

/** Ranges larger than this are cut (a typo such as /8 must not make 16 million services). */
export const MAX_RANGE_ADDRESSES = 65536;

/** The address as the kernel's dump spells it (IPv6 compressed, lower case). */
export function canonicalAddress(address: string): string {
  if (!isIPv6(address)) return address;
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/**
 * Every address from `first` to the range's end: `end` is the last IPv4 octet / IPv6 group, a
 * whole last address, or "/LEN" (every address of first's prefix from first on).
 */
export function expandAddressRange(first: string, end: string): string[] {
  const v4 = isIPv4(first);
  if (!v4 && !isIPv6(first)) return [];
  const bits = v4 ? 32 : 128;
  const start = toBigInt(first, v4);
  let last: bigint;
  if (end.startsWith('/')) {
    const length = Number(end.slice(1));
    if (!Number.isInteger(length) || length < 0 || length > bits) return [first];
    last = start | ((1n << BigInt(bits - length)) - 1n);
  } else if (v4 ? isIPv4(end) : isIPv6(end)) {
    last = toBigInt(end, v4);
  } else {
    const part = v4 ? Number(end) : parseInt(end, 16);
    const partBits = v4 ? 8n : 16n;
    if (!Number.isInteger(part) || part < 0 || part >= 2 ** Number(partBits)) return [first];
    last = ((start >> partBits) << partBits) | BigInt(part);
  }
  const addresses: string[] = [];
  for (let value = start; value <= last && addresses.length < MAX_RANGE_ADDRESSES; value++) addresses.push(fromBigInt(value, v4));
  return addresses;
}

function toBigInt(address: string, v4: boolean): bigint {
  if (v4) return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
  const canonical = canonicalAddress(address);
  const [head, tail] = canonical.includes('::') ? (canonical.split('::') as [string, string]) : [canonical, ''];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function fromBigInt(value: bigint, v4: boolean): string {
  if (v4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return canonicalAddress(groups.join(':'));
}
