// The typed keepalived configuration: plain readonly data that every other layer reads.
// Typed fields cover what keepalived-ts acts on; `settings` in each block keeps every keyword
// that was given (canonical names), so nothing parsed is ever dropped, including keywords
// keepalived-ts only parses (they were reported once as KTS_NOT_IMPLEMENTED).
import type { AddressSpec } from './values/address.js';
import type { Family } from './values/ip.js';
import type { PeerSpec } from './values/peer.js';
import type { RouteSpec } from './values/route.js';
import type { RuleSpec } from './values/rule.js';
import type { ServiceAddress } from './values/service-address.js';
import type { TrackedSpec } from './values/tracked.js';
import type { SourceLocation } from './tree.js';

export type { AddressSpec, PeerSpec, RouteSpec, RuleSpec, ServiceAddress, TrackedSpec };

/** A value-block line with where it was written (for diagnostics from later layers). */
export type Located<T> = T & { readonly loc: SourceLocation };

/** Every keyword of a block as given: value, value-block lines, or nested blocks. */
export type SettingValue = number | boolean | string | null | readonly unknown[] | Settings;
export interface Settings {
  readonly [keyword: string]: SettingValue;
}

/** A script command line with the user it runs as (`"cmd args" [user [group]]`). */
export interface ScriptCommand {
  readonly command: string;
  readonly user?: string;
  readonly group?: string;
  readonly loc: SourceLocation;
}

export interface GlobalDefs {
  readonly routerId?: string;
  readonly vrrpStrict: boolean;
  readonly vrrpVersion: 2 | 3;
  readonly vrrpMcastGroup4: string;
  readonly vrrpMcastGroup6: string;
  readonly vrrpGarpMasterDelay: number;
  readonly vrrpGarpMasterRepeat: number;
  readonly vrrpGarpMasterRefresh: number;
  readonly vrrpGarpMasterRefreshRepeat: number;
  readonly vrrpGarpInterval?: number;
  readonly vrrpGnaInterval?: number;
  readonly vrrpSkipCheckAdvAddr: boolean;
  readonly vrrpCheckUnicastSrc: boolean;
  readonly enableScriptSecurity: boolean;
  readonly scriptUser?: { readonly user: string; readonly group?: string };
  readonly defaultInterface: string;
  readonly settings: Settings;
}

export interface Authentication {
  readonly type: 'PASS' | 'AH';
  readonly password?: string;
}

export interface VrrpInstance {
  readonly name: string;
  readonly loc: SourceLocation;
  readonly initialState: 'MASTER' | 'BACKUP';
  readonly interface?: string;
  readonly virtualRouterId?: number;
  readonly priority: number;
  /** Seconds; already rounded as keepalived does (v2: whole seconds, v3: 10 ms). */
  readonly advertInterval: number;
  readonly version: 2 | 3;
  readonly family: Family;
  readonly virtualAddresses: readonly Located<AddressSpec>[];
  readonly excludedAddresses: readonly Located<AddressSpec>[];
  readonly virtualRoutes: readonly Located<RouteSpec>[];
  readonly virtualRules: readonly Located<RuleSpec>[];
  readonly authentication?: Authentication;
  readonly trackScripts: readonly Located<TrackedSpec>[];
  readonly trackInterfaces: readonly Located<TrackedSpec>[];
  readonly trackFiles: readonly Located<TrackedSpec>[];
  readonly trackProcesses: readonly Located<TrackedSpec>[];
  readonly preempt: boolean;
  readonly preemptDelay: number;
  readonly unicastSourceIp?: string;
  readonly unicastPeers: readonly Located<PeerSpec>[];
  readonly mcastSourceIp?: string;
  readonly notify: {
    readonly master?: ScriptCommand;
    readonly backup?: ScriptCommand;
    readonly fault?: ScriptCommand;
    readonly stop?: ScriptCommand;
    readonly any?: ScriptCommand;
  };
  readonly garp: { readonly masterDelay: number; readonly masterRepeat: number; readonly masterRefresh: number; readonly masterRefreshRepeat: number };
  readonly strict: boolean;
  readonly accept: boolean;
  readonly useVmac?: readonly string[];
  readonly noVirtualIpaddress: boolean;
  readonly settings: Settings;
}

export interface VrrpSyncGroup {
  readonly name: string;
  readonly loc: SourceLocation;
  readonly members: readonly string[];
  readonly notify: VrrpInstance['notify'];
  readonly settings: Settings;
}

export interface VrrpScript {
  readonly name: string;
  readonly loc: SourceLocation;
  readonly script?: ScriptCommand;
  readonly interval: number;
  readonly timeout?: number;
  readonly weight: number;
  readonly weightReverse: boolean;
  readonly fall: number;
  readonly rise: number;
  readonly initFail: boolean;
  readonly settings: Settings;
}

export interface TrackFile {
  readonly name: string;
  readonly loc: SourceLocation;
  readonly file?: string;
  readonly weight: number;
  readonly weightReverse: boolean;
  readonly settings: Settings;
}

export type CheckerKind = 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'MISC_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'UDP_CHECK' | 'PING_CHECK' | 'FILE_CHECK' | 'BFD_CHECK';

export interface HttpUrl {
  readonly path?: string;
  readonly digest?: string;
  readonly statusCodes: readonly string[];
  readonly virtualhost?: string;
}

export interface Checker {
  readonly kind: CheckerKind;
  readonly loc: SourceLocation;
  readonly connectIp?: string;
  readonly connectPort?: number;
  readonly bindTo?: string;
  readonly connectTimeout?: number;
  readonly retry?: number;
  readonly delayBeforeRetry?: number;
  readonly delayLoop?: number;
  readonly warmup?: number;
  readonly urls: readonly HttpUrl[];
  readonly miscPath?: ScriptCommand;
  readonly miscTimeout?: number;
  readonly miscDynamic: boolean;
  readonly settings: Settings;
}

export interface RealServer {
  readonly address: string;
  readonly family: Family;
  readonly port?: number;
  readonly loc: SourceLocation;
  readonly weight: number;
  readonly inhibitOnFailure: boolean;
  readonly checkers: readonly Checker[];
  readonly notifyUp?: ScriptCommand;
  readonly notifyDown?: ScriptCommand;
  readonly settings: Settings;
}

export interface VirtualServer {
  readonly service: ServiceAddress;
  readonly loc: SourceLocation;
  readonly scheduler?: string;
  readonly forwarding?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Seconds of persistence; 360 when the keyword is given alone. */
  readonly persistenceTimeout?: number;
  readonly persistenceGranularity?: string;
  readonly delayLoop: number;
  readonly connectTimeout: number;
  readonly retry?: number;
  readonly delayBeforeRetry?: number;
  readonly quorum: number;
  readonly hysteresis: number;
  readonly quorumUp?: ScriptCommand;
  readonly quorumDown?: ScriptCommand;
  readonly sorryServer?: ServiceAddress;
  readonly sorryServerInhibit: boolean;
  readonly inhibitOnFailure: boolean;
  readonly alpha: boolean;
  readonly omega: boolean;
  readonly virtualhost?: string;
  readonly realServers: readonly RealServer[];
  readonly settings: Settings;
}

export interface VirtualServerGroup {
  readonly name: string;
  readonly loc: SourceLocation;
  readonly members: readonly ServiceAddress[];
}

export interface Config {
  readonly global: GlobalDefs;
  readonly vrrpInstances: readonly VrrpInstance[];
  readonly vrrpSyncGroups: readonly VrrpSyncGroup[];
  readonly vrrpScripts: readonly VrrpScript[];
  readonly trackFiles: readonly TrackFile[];
  readonly trackProcesses: readonly { readonly name: string; readonly loc: SourceLocation; readonly settings: Settings }[];
  readonly virtualServerGroups: readonly VirtualServerGroup[];
  readonly virtualServers: readonly VirtualServer[];
  readonly staticAddresses: readonly Located<AddressSpec>[];
  readonly staticRoutes: readonly Located<RouteSpec>[];
  readonly staticRules: readonly Located<RuleSpec>[];
  /** Every other top-level keyword (bfd_instance, garp_group, net_namespace, ...), as given. */
  readonly otherSettings: Settings;
}
