// The IPVS table as plain data: what a service and a destination are, with the kernel's state
// (counters, connection counts) kept apart from what a caller configures.

export type AddressFamily = 'inet' | 'inet6';
export type IpvsProtocol = 'tcp' | 'udp' | 'sctp';
export type ForwardingMethod = 'masq' | 'local' | 'tunnel' | 'route' | 'bypass';
export type TunnelType = 'ipip' | 'gue' | 'gre';

/** Identifies a virtual service: protocol + address + port, or a firewall mark. */
export type ServiceKey =
  | { readonly family: AddressFamily; readonly protocol: IpvsProtocol; readonly address: string; readonly port: number; readonly fwmark?: undefined }
  | { readonly family: AddressFamily; readonly fwmark: number; readonly protocol?: undefined; readonly address?: undefined; readonly port?: undefined };

export interface ServiceOptions {
  /** rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh (any scheduler module the kernel has). */
  readonly scheduler: string;
  /** Persistence timeout in seconds, or null for a non-persistent service. */
  readonly persistence: number | null;
  /** Persistence granularity as a prefix length (IPv4 255.255.255.0 is 24); default 32 / 128. */
  readonly netmask: number;
  /** Persistence engine (e.g. 'sip'), or null. */
  readonly persistenceEngine: string | null;
  /** One-packet scheduling (UDP only). */
  readonly onePacket: boolean;
  /** Scheduler flags 1-3 (sh/mh: 1 = fallback, 2 = port). */
  readonly schedulerFlags: readonly (1 | 2 | 3)[];
}

export type Service = ServiceKey & ServiceOptions;

export interface DestinationKey {
  readonly address: string;
  readonly port: number;
}

export interface DestinationOptions {
  readonly forwarding: ForwardingMethod;
  readonly weight: number;
  /** Maximum connections (0 = no limit). */
  readonly upperThreshold: number;
  /** Connections below which a server that hit its upper threshold is used again. */
  readonly lowerThreshold: number;
  readonly tunnelType: TunnelType;
  /** UDP port of a GUE tunnel (0 otherwise). */
  readonly tunnelPort: number;
  /** IP_VS_TUNNEL_ENCAP_FLAG_* bits: 1 checksum, 2 remote checksum offload; 0 none. */
  readonly tunnelFlags: number;
}

export type Destination = DestinationKey & DestinationOptions & { readonly family: AddressFamily };

export interface IpvsStats {
  readonly connections: bigint;
  readonly inPackets: bigint;
  readonly outPackets: bigint;
  readonly inBytes: bigint;
  readonly outBytes: bigint;
  readonly connectionsPerSecond: bigint;
  readonly inPacketsPerSecond: bigint;
  readonly outPacketsPerSecond: bigint;
  readonly inBytesPerSecond: bigint;
  readonly outBytesPerSecond: bigint;
}

export type ServiceState = Service & { readonly stats: IpvsStats };

export type DestinationState = Destination & {
  readonly activeConnections: number;
  readonly inactiveConnections: number;
  readonly persistentConnections: number;
  readonly stats: IpvsStats;
};

/** One service with its destinations, as a dump returns them. */
export interface ServiceEntry {
  readonly service: ServiceState;
  readonly destinations: readonly DestinationState[];
}

export interface IpvsInfo {
  /** e.g. '1.2.1' */
  readonly version: string;
  readonly connectionTableSize: number;
}

export interface IpvsTimeouts {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
}

export interface SyncDaemon {
  readonly state: 'master' | 'backup';
  readonly interface: string;
  readonly syncId: number;
  readonly maxLength?: number;
  readonly group?: string;
  readonly port?: number;
  readonly ttl?: number;
}

export const DEFAULT_PERSISTENCE_SECONDS = 360;

export function defaultNetmask(family: AddressFamily): number {
  return family === 'inet' ? 32 : 128;
}

export function isFwmarkService(key: ServiceKey): key is Extract<ServiceKey, { fwmark: number }> {
  return key.fwmark !== undefined;
}
