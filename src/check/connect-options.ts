// Where a network checker connects and from where: connect_ip/connect_port override the real
// server's address, bindto/bind_port choose the source, bind_if scopes a link-local address
// (fe80::/10 means nothing without an interface), fwmark marks the check's packets.
import net from 'node:net';
import type { ConnectionOptions, RealServerTarget } from './types.js';

export interface Endpoint {
  /** Scoped ("fe80::1%eth0") when it is link-local and bind_if names the interface. */
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  /** SO_MARK for the check's socket (checker `fwmark`). */
  readonly fwmark?: number;
}

/** An IPv6 link-local address without a zone gets bind_if's; anything else is left as written. */
export function scopedAddress(address: string, bindInterface: string | undefined): string {
  if (bindInterface === undefined || address.includes('%') || net.isIPv6(address) === false) return address;
  return /^fe[89ab]/i.test(address) ? `${address}%${bindInterface}` : address;
}

export function endpointOf(spec: ConnectionOptions, target: RealServerTarget, defaultPort = target.port): Endpoint {
  return {
    host: scopedAddress(spec.connectIp ?? target.address, spec.bindInterface),
    port: spec.connectPort ?? (target.port || defaultPort),
    ...(spec.bindTo !== undefined ? { localAddress: scopedAddress(spec.bindTo, spec.bindInterface) } : {}),
    ...(spec.bindPort !== undefined ? { localPort: spec.bindPort } : {}),
    ...(spec.fwmark !== undefined ? { fwmark: spec.fwmark } : {}),
  };
}
