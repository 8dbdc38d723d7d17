// IP addresses and prefixes as text: validation and family, without any system call.
import { isIPv4, isIPv6 } from 'node:net';

export type Family = 'inet' | 'inet6';

export interface IpAddress {
  readonly address: string;
  readonly family: Family;
}

export interface IpPrefix extends IpAddress {
  /** Prefix length; the full address length when none was written. */
  readonly prefixLength: number;
  readonly prefixWritten: boolean;
}

export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { address: text, family: 'inet' };
  // keepalived accepts a scope suffix (fe80::1%eth0) on link-local addresses.
  const bare = text.split('%')[0]!;
  if (isIPv6(bare)) return { address: text, family: 'inet6' };
  return undefined;
}

export function parsePrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const full = ip.family === 'inet' ? 32 : 128;
  if (slash < 0) return { ...ip, prefixLength: full, prefixWritten: false };
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > full) return undefined;
  return { ...ip, prefixLength, prefixWritten: true };
}

export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}
