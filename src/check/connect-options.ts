// Where a network checker connects and from where: connect_ip/connect_port override the real
// server's address, bindto/bind_port choose the source.
import type { ConnectionOptions, RealServerTarget } from './types.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly localPort?: number;
}

export function endpointOf(spec: ConnectionOptions, target: RealServerTarget, defaultPort = target.port): Endpoint {
  return {
    host: spec.connectIp ?? target.address,
    port: spec.connectPort ?? (target.port || defaultPort),
    ...(spec.bindTo !== undefined ? { localAddress: spec.bindTo } : {}),
    ...(spec.bindPort !== undefined ? { localPort: spec.bindPort } : {}),
  };
}
