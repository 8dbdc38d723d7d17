// 'addr/len' text used by routes and rules: parsing with the family it implies, and printing.
import { isIPv4, isIPv6 } from 'node:net';
import { FAMILY } from './constants.js';

export interface Prefix {
  readonly family: number;
  /** Undefined for 'default' (the zero-length prefix). */
  readonly address: string | undefined;
  readonly length: number;
}

/** Parses '10.0.0.0/8', '2001:db8::/32', '192.0.2.1' (a host) or 'default' (family from `family`). */
export function parsePrefix(text: string, family?: number): Prefix {
  if (text === 'default' || text === 'all') {
    if (family === undefined) throw new TypeError(`'${text}' needs a family (inet or inet6)`);
    return { family, address: undefined, length: 0 };
  }
  const [address, lengthText] = text.split('/') as [string, string | undefined];
  const parsedFamily = isIPv4(address) ? FAMILY.inet : isIPv6(address) ? FAMILY.inet6 : undefined;
  if (parsedFamily === undefined) throw new TypeError(`not an IP prefix: ${text}`);
  if (family !== undefined && family !== parsedFamily) throw new TypeError(`${text} is not of address family ${family}`);
  const max = parsedFamily === FAMILY.inet ? 32 : 128;
  const length = lengthText === undefined ? max : Number(lengthText);
  if (!Number.isInteger(length) || length < 0 || length > max) throw new RangeError(`prefix length in ${text}`);
  return { family: parsedFamily, address, length };
}

/** The form ip(8) prints: 'default' for a zero-length prefix, the bare address for a host. */
export function formatPrefix(address: string | undefined, length: number, family: number): string {
  if (address === undefined || length === 0) return 'default';
  return length === (family === FAMILY.inet ? 32 : 128) ? address : `${address}/${length}`;
}

export function familyOf(address: string): number {
  if (isIPv4(address)) return FAMILY.inet;
  if (isIPv6(address)) return FAMILY.inet6;
  throw new TypeError(`not an IP address: ${address}`);
}

/** AF_INET or AF_INET6 (rtnetlink dumps also carry other families, such as RTNL_FAMILY_IPMR). */
export function isInetFamily(family: number | undefined): boolean {
  return family === FAMILY.inet || family === FAMILY.inet6;
}
