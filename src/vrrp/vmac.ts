// The VRRP virtual router MAC addresses (RFC 5798 §7.3): 00-00-5E-00-01-{VRID} for IPv4 and
// 00-00-5E-00-02-{VRID} for IPv6, used by `use_vmac` macvlan interfaces.
import type { AddressFamily } from './packet.js';

export function virtualMac(vrid: number, family: AddressFamily = 'ipv4'): Buffer {
  if (!Number.isInteger(vrid) || vrid < 1 || vrid > 255) throw new RangeError(`VRID ${vrid} is outside 1..255`);
  return Buffer.from([0x00, 0x00, 0x5e, 0x00, family === 'ipv4' ? 0x01 : 0x02, vrid]);
}

/** Colon-separated lowercase text, as ip(8) prints link addresses. */
export function macToText(mac: Uint8Array): string {
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** Parses "aa:bb:cc:dd:ee:ff" (or with dashes); undefined when it is not a MAC address. */
export function macFromText(text: string): Buffer | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((part) => /^[0-9a-fA-F]{1,2}$/.test(part))) return undefined;
  return Buffer.from(parts.map((part) => parseInt(part, 16)));
}
