// Numbers of the generic netlink family "IPVS" (include/uapi/linux/ip_vs.h): commands, attribute
// types per nesting level, flag bits and enumerations. Nothing else lives here.

export const IPVS_GENL_NAME = 'IPVS';
export const IPVS_GENL_VERSION = 1;

export const IPVS_CMD = {
  NEW_SERVICE: 1,
  SET_SERVICE: 2,
  DEL_SERVICE: 3,
  GET_SERVICE: 4,
  NEW_DEST: 5,
  SET_DEST: 6,
  DEL_DEST: 7,
  GET_DEST: 8,
  NEW_DAEMON: 9,
  DEL_DAEMON: 10,
  GET_DAEMON: 11,
  SET_CONFIG: 12,
  GET_CONFIG: 13,
  SET_INFO: 14,
  GET_INFO: 15,
  ZERO: 16,
  FLUSH: 17,
} as const;

/** Attributes at the top level of a command. */
export const IPVS_CMD_ATTR = {
  SERVICE: 1,
  DEST: 2,
  DAEMON: 3,
  TIMEOUT_TCP: 4,
  TIMEOUT_TCP_FIN: 5,
  TIMEOUT_UDP: 6,
} as const;

/** Attributes nested in IPVS_CMD_ATTR_SERVICE. */
export const IPVS_SVC_ATTR = {
  AF: 1, // u16
  PROTOCOL: 2, // u16
  ADDR: 3, // union nf_inet_addr (16 bytes; IPv4 in the first 4)
  PORT: 4, // __be16
  FWMARK: 5, // u32
  SCHED_NAME: 6, // string
  FLAGS: 7, // struct ip_vs_flags { u32 flags; u32 mask; }
  TIMEOUT: 8, // u32 persistence timeout, seconds
  NETMASK: 9, // u32: IPv4 mask in network order, or IPv6 prefix length
  STATS: 10, // nested IPVS_STATS_ATTR_* (32-bit counters)
  PE_NAME: 11, // string
  STATS64: 12, // nested IPVS_STATS_ATTR_* (64-bit counters)
} as const;

/** Attributes nested in IPVS_CMD_ATTR_DEST. */
export const IPVS_DEST_ATTR = {
  ADDR: 1,
  PORT: 2, // __be16
  FWD_METHOD: 3, // u32
  WEIGHT: 4, // u32 (signed int in the kernel)
  U_THRESH: 5, // u32
  L_THRESH: 6, // u32
  ACTIVE_CONNS: 7, // u32
  INACT_CONNS: 8, // u32
  PERSIST_CONNS: 9, // u32
  STATS: 10,
  ADDR_FAMILY: 11, // u16
  STATS64: 12,
  TUN_TYPE: 13, // u8
  TUN_PORT: 14, // __be16
  TUN_FLAGS: 15, // u16
} as const;

/** Attributes nested in IPVS_CMD_ATTR_DAEMON. */
export const IPVS_DAEMON_ATTR = {
  STATE: 1, // u32
  MCAST_IFN: 2, // string
  SYNC_ID: 3, // u32
  SYNC_MAXLEN: 4, // u16
  MCAST_GROUP: 5, // in_addr (4 bytes)
  MCAST_GROUP6: 6, // in6_addr
  MCAST_PORT: 7, // u16
  MCAST_TTL: 8, // u8
} as const;

/** Attributes nested in *_STATS / *_STATS64 (u32/u64 in STATS except bytes, all u64 in STATS64). */
export const IPVS_STATS_ATTR = {
  CONNS: 1,
  INPKTS: 2,
  OUTPKTS: 3,
  INBYTES: 4,
  OUTBYTES: 5,
  CPS: 6,
  INPPS: 7,
  OUTPPS: 8,
  INBPS: 9,
  OUTBPS: 10,
} as const;

/** Top-level attributes of a GET_INFO reply. */
export const IPVS_INFO_ATTR = {
  VERSION: 1,
  CONN_TAB_SIZE: 2,
} as const;

export const IP_VS_SVC_F = {
  PERSISTENT: 0x1,
  HASHED: 0x2,
  ONEPACKET: 0x4,
  SCHED1: 0x8,
  SCHED2: 0x10,
  SCHED3: 0x20,
} as const;

/** Forwarding methods (IP_VS_CONN_F_FWD_MASK bits of a destination's conn_flags). */
export const IP_VS_CONN_F = {
  FWD_MASK: 0x7,
  MASQ: 0x0,
  LOCALNODE: 0x1,
  TUNNEL: 0x2,
  DROUTE: 0x3,
  BYPASS: 0x4,
} as const;

export const IP_VS_CONN_F_TUNNEL_TYPE = { IPIP: 0, GUE: 1, GRE: 2 } as const;

export const IP_VS_TUNNEL_ENCAP_FLAG = { NOCSUM: 0x0, CSUM: 0x1, REMCSUM: 0x2 } as const;

export const IP_VS_STATE = { MASTER: 1, BACKUP: 2 } as const;
