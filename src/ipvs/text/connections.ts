// `ipvsadm -L --connection`: the kernel's connection table, read from /proc/net/ip_vs_conn
// (the IPVS family has no netlink dump for connections) and laid out as ipvsadm prints it.
import { isIPv6 } from 'node:net';
import { bytesToIpv6, ipv6ToBytes } from '../../sys/sockaddr.js';
import { hostPort } from '../notation.js';
import { numericPorts, type PortNamer } from './names.js';

export interface ConnectionEntry {
  readonly protocol: string;
  readonly client: { readonly address: string; readonly port: number };
  readonly virtual: { readonly address: string; readonly port: number };
  readonly destination: { readonly address: string; readonly port: number };
  readonly state: string;
  readonly expiresSeconds: number;
}

function procAddress(text: string): string | null {
  if (/^[0-9A-Fa-f]{8}$/.test(text)) {
    const value = parseInt(text, 16);
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
  }
  return isIPv6(text) ? bytesToIpv6(ipv6ToBytes(text)) : null;
}

/** Entries of /proc/net/ip_vs_conn; lines that do not parse are left out. */
export function parseConnectionTable(text: string): ConnectionEntry[] {
  const entries: ConnectionEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 9) continue;
    const [protocol, fromIp, fromPort, toIp, toPort, destIp, destPort, state, expires] = fields as [string, string, string, string, string, string, string, string, string];
    const client = procAddress(fromIp);
    const virtual = procAddress(toIp);
    const destination = procAddress(destIp);
    if (!client || !virtual || !destination || !/^\d+$/.test(expires)) continue;
    entries.push({
      protocol,
      client: { address: client, port: parseInt(fromPort, 16) },
      virtual: { address: virtual, port: parseInt(toPort, 16) },
      destination: { address: destination, port: parseInt(destPort, 16) },
      state,
      expiresSeconds: Number(expires),
    });
  }
  return entries;
}

function endpoint(point: { address: string; port: number }, protocol: string, names: PortNamer): string {
  return hostPort(point.address.includes(':') ? 'inet6' : 'inet', point.address, names(point.port, protocol.toLowerCase()));
}

export function formatConnections(entries: readonly ConnectionEntry[], portNames: PortNamer = numericPorts): string {
  let out = 'IPVS connection entries\npro expire state       source             virtual            destination\n';
  for (const entry of entries) {
    const minutes = String(Math.floor(entry.expiresSeconds / 60)).padStart(2, '0');
    const seconds = String(entry.expiresSeconds % 60).padStart(2, '0');
    out += `${entry.protocol.padEnd(3)} ${minutes}:${seconds}  ${entry.state.padEnd(11)} `
      + `${endpoint(entry.client, entry.protocol, portNames).padEnd(18)} ${endpoint(entry.virtual, entry.protocol, portNames).padEnd(18)} `
      + `${endpoint(entry.destination, entry.protocol, portNames)}\n`;
  }
  return out;
}
