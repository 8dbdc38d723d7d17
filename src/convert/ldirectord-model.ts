// The typed model of an ldirectord.cf file: global settings, then virtual services each with
// their own settings and real servers. Every value remembers the line it came from so the mapper
// can point warnings at the operator's file.

export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

export type Forwarding = 'gate' | 'masq' | 'ipip';
export type Family = 'inet' | 'inet6';

/** `checktype=`: a named kind, or a number N meaning "negotiate every Nth check, connect otherwise". */
export type CheckType =
  | { readonly kind: 'connect' | 'negotiate' | 'external' | 'external-perl' | 'ping' | 'off' | 'on' | 'checktimeout' }
  | { readonly kind: 'negotiate-every'; readonly every: number };

export interface HostPort {
  readonly address: string;
  readonly family: Family;
  readonly port?: number;
}

export interface FallbackServer extends HostPort {
  readonly forwarding?: Forwarding;
}

/** The value type of every option that may appear as `name=value`, keyed by its ldirectord name. */
export interface OptionValues {
  checktimeout: number;
  connecttimeout: number;
  negotiatetimeout: number;
  checkinterval: number;
  failurecount: number;
  checkcount: number;
  quiescent: boolean;
  readdquiescent: boolean;
  cleanstop: boolean;
  fallback: FallbackServer;
  fallback6: FallbackServer;
  fallbackcommand: string;
  emailalert: string;
  emailalertfreq: number;
  emailalertstatus: string;
  emailalertfrom: string;
  smtp: string;
  autoreload: boolean;
  callback: string;
  logfile: string;
  execute: string;
  supervised: boolean;
  fork: boolean;
  maintenancedir: string;
  checktype: CheckType;
  checkcommand: string;
  checkport: number;
  request: string;
  receive: string;
  httpmethod: 'GET' | 'HEAD';
  virtualhost: string;
  service: string;
  login: string;
  passwd: string;
  database: string;
  secret: string;
  scheduler: string;
  persistent: number;
  netmask: string;
  protocol: 'tcp' | 'udp' | 'sctp' | 'fwm';
  monitorfile: string;
  ops: boolean;
}

export type OptionName = keyof OptionValues;
export type Settings = { [K in OptionName]?: Located<OptionValues[K]> };

export interface RealServer {
  readonly line: number;
  readonly address: string;
  readonly family: Family;
  readonly port?: number;
  readonly forwarding?: Forwarding;
  readonly weight?: number;
  /** Per-server `"request", "receive"` overriding the virtual service's. */
  readonly request?: string;
  readonly receive?: string;
  readonly comments: readonly string[];
}

export type VirtualTarget =
  | { readonly kind: 'address'; readonly address: string; readonly port: number }
  | { readonly kind: 'fwmark'; readonly mark: number };

export interface VirtualService {
  readonly line: number;
  /** `virtual=` is IPv4 (or an IPv4 fwmark service), `virtual6=` IPv6. */
  readonly family: Family;
  readonly target: VirtualTarget;
  readonly settings: Settings;
  readonly reals: readonly RealServer[];
  readonly comments: readonly string[];
}

export interface LdirectordConfig {
  readonly settings: Settings;
  readonly virtuals: readonly VirtualService[];
  /** Comments before the first virtual service and between global options. */
  readonly comments: readonly string[];
}
