// rtnetlink numbers from <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h>,
// <linux/fib_rules.h> and <linux/if.h>, with the names ip(8) prints for scopes, types and tables.

export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
  NEWRULE: 32,
  DELRULE: 33,
  GETRULE: 34,
} as const;

/** enum rtnetlink_groups: multicast group numbers for NetlinkEventSocket.join(). */
export const RTNLGRP = {
  LINK: 1,
  NOTIFY: 2,
  NEIGH: 3,
  TC: 4,
  IPV4_IFADDR: 5,
  IPV4_MROUTE: 6,
  IPV4_ROUTE: 7,
  IPV4_RULE: 8,
  IPV6_IFADDR: 9,
  IPV6_MROUTE: 10,
  IPV6_ROUTE: 11,
  IPV6_IFINFO: 12,
  IPV6_PREFIX: 18,
  IPV6_RULE: 19,
} as const;

/** IFF_* interface flags (ifi_flags). */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
  ECHO: 0x40000,
} as const;

/** IF_OPER_* (RFC 2863 operational status, IFLA_OPERSTATE), indexed by value. */
export const OPERSTATES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;
export type OperState = (typeof OPERSTATES)[number];

/** IFA_F_* address flags (ifa_flags, extended by the IFA_FLAGS attribute). */
export const IFA_F = {
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  HOMEADDRESS: 0x10,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100,
  NOPREFIXROUTE: 0x200,
  MCAUTOJOIN: 0x400,
  STABLE_PRIVACY: 0x800,
} as const;

/** enum rt_scope_t, with ip(8)'s names. */
export const RT_SCOPE = { universe: 0, site: 200, link: 253, host: 254, nowhere: 255 } as const;
export type ScopeName = 'global' | 'site' | 'link' | 'host' | 'nowhere';
const SCOPE_BY_NAME: Record<ScopeName, number> = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 };

export function scopeNumber(scope: ScopeName | number): number {
  return typeof scope === 'number' ? scope : SCOPE_BY_NAME[scope];
}

const SCOPE_BY_NUMBER = new Map(Object.entries(SCOPE_BY_NAME).map(([name, value]) => [value, name as ScopeName]));

export function scopeName(scope: number): ScopeName | number {
  return SCOPE_BY_NUMBER.get(scope) ?? scope;
}

/** enum rt_class_t: reserved routing table ids. */
export const RT_TABLE = { unspec: 0, compat: 252, default: 253, main: 254, local: 255 } as const;

/** rtm_type (RTN_*), indexed by value. */
export const ROUTE_TYPES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
] as const;
export type RouteType = (typeof ROUTE_TYPES)[number];

/** rtm_protocol values ip(8) names. */
export const RTPROT = { unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4 } as const;

/** fib_rule_hdr.action (FR_ACT_*), indexed by value. */
export const RULE_ACTIONS = ['unspec', 'table', 'goto', 'nop', 'res3', 'res4', 'blackhole', 'unreachable', 'prohibit'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const MACVLAN_MODE = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;
export type MacvlanMode = keyof typeof MACVLAN_MODE;

/** Address families as rtnetlink uses them (ifa_family, rtm_family). */
export const FAMILY = { unspec: 0, inet: 2, inet6: 10 } as const;
