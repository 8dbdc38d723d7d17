// IP addresses and prefixes as text: validation and family, without any system call.
import { isIPv4, isIPv6 } from 'node:net';
import { shortWholeNumber } from './number.js';

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
  if (isDottedQuad(text) || isIPv4(text)) return { address: text, family: 'inet' };
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
  if (text.length > 5) return undefined;
  const port = shortWholeNumber(text);
  return port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * The dotted quads node:net's isIPv4 accepts (four parts 0..255, no leading zeros), read without
 * its regex: a large config holds tens of thousands of IPv4 addresses.
 */
function isDottedQuad(text: string): boolean {
  let parts = 0;
  let at = 0;
  while (at <= text.length) {
    let end = at;
    let value = 0;
    while (end < text.length && end - at < 4) {
      const c = text.charCodeAt(end);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      end++;
    }
    const digits = end - at;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && text.charCodeAt(at) === 48 /* 0 */)) return false;
    if (++parts === 4) return end === text.length;
    if (text.charCodeAt(end) !== 46 /* . */) return false;
    at = end + 1;
  }
  return false;
}
