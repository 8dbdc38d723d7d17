// What a raw VRRP socket hands back from recvmsg, made typed: control messages (hop limit,
// destination address, arrival interface) and whole received adverts for each family.
// IPv4 raw sockets deliver the IP header (the TTL is read there); IPv6 raw sockets deliver only
// the payload, so the hop limit and destination come from IPV6_HOPLIMIT / IPV6_PKTINFO.
import type { ControlMessage, ReceivedMessage } from '../sys/native.js';
import { AF_INET6, IPV6_HOPLIMIT, IPV6_PKTINFO, IP_PKTINFO, IP_TTL, SOL_IP, SOL_IPV6 } from '../sys/constants.js';
import { bytesToIpv4, bytesToIpv6 } from '../sys/sockaddr.js';
import { decodeAdvert, type Advert, type ChecksumCoverage } from './packet.js';
import { decodeIpv4AdvertPacket, type Ipv4AdvertResult, type Ipv4DecodeOptions } from './packet-ipv4.js';
import type { AhInfo } from './packet-ah.js';
import type { DropReason } from './drop-reasons.js';

export interface ReceiveInfo {
  /** IPV6_HOPLIMIT, or IP_TTL when IP_RECVTTL is on. */
  readonly hopLimit?: number;
  /** The packet's destination address (IPV6_PKTINFO / IP_PKTINFO). */
  readonly destination?: string;
  readonly destinationBytes?: Uint8Array;
  /** The interface the packet arrived on. */
  readonly interfaceIndex?: number;
}

/** Decodes the control messages this project asks for; unknown or short ones are ignored. */
export function decodeControlMessages(control: readonly ControlMessage[]): ReceiveInfo {
  let info: ReceiveInfo = {};
  for (const message of control) {
    const data = message.data;
    if (message.level === SOL_IPV6 && message.type === IPV6_HOPLIMIT && data.length >= 4) {
      info = { ...info, hopLimit: data.readInt32LE(0) };
    } else if (message.level === SOL_IPV6 && message.type === IPV6_PKTINFO && data.length >= 20) {
      // struct in6_pktinfo { struct in6_addr ipi6_addr; int ipi6_ifindex; }
      info = { ...info, destination: bytesToIpv6(data, 0), destinationBytes: data.subarray(0, 16), interfaceIndex: data.readInt32LE(16) };
    } else if (message.level === SOL_IP && message.type === IP_PKTINFO && data.length >= 12) {
      // struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; }
      info = { ...info, interfaceIndex: data.readInt32LE(0), destination: bytesToIpv4(data, 8), destinationBytes: data.subarray(8, 12) };
    } else if (message.level === SOL_IP && message.type === IP_TTL && data.length >= 4) {
      info = { ...info, hopLimit: data.readInt32LE(0) };
    }
  }
  return info;
}

export interface ReceivedAdvert {
  readonly advert: Advert;
  readonly checksum: ChecksumCoverage;
  readonly source: string;
  readonly destination: string;
  readonly hopLimit: number;
  readonly interfaceIndex?: number;
  /** Present for a v2 advert that came with a verified IPsec AH header. */
  readonly ah?: AhInfo;
}

export type ReceivedAdvertResult =
  | ({ readonly ok: true } & ReceivedAdvert)
  | { readonly ok: false; readonly reason: DropReason };

export interface ReceiveDecodeOptions {
  /** Unicast peers may be routed: skip the hop-limit-255 rule. */
  readonly acceptAnyHopLimit?: boolean;
}

/** An advert from a raw AF_INET protocol-112 socket (data starts with the IPv4 header). */
export function decodeReceivedIpv4Advert(message: ReceivedMessage, options: Ipv4DecodeOptions = {}): ReceivedAdvertResult {
  if (message.length > message.data.length) return { ok: false, reason: 'truncated' };
  const result: Ipv4AdvertResult = decodeIpv4AdvertPacket(message.data, options);
  if (!result.ok) return result;
  const info = decodeControlMessages(message.control);
  return {
    ok: true,
    advert: result.advert,
    checksum: result.checksum,
    source: result.ip.source,
    destination: result.ip.destination,
    hopLimit: result.ip.ttl,
    ...(info.interfaceIndex === undefined ? {} : { interfaceIndex: info.interfaceIndex }),
    ...(result.ah === undefined ? {} : { ah: result.ah }),
  };
}

/**
 * An advert from a raw AF_INET6 protocol-112 socket with IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO
 * on: the source comes from the sockaddr, hop limit and destination from control data.
 */
export function decodeReceivedIpv6Advert(message: ReceivedMessage, options: ReceiveDecodeOptions = {}): ReceivedAdvertResult {
  if (message.length > message.data.length) return { ok: false, reason: 'truncated' };
  const info = decodeControlMessages(message.control);
  if (info.hopLimit === undefined || info.destinationBytes === undefined || info.destination === undefined) {
    return { ok: false, reason: 'missing-control-data' };
  }
  // struct sockaddr_in6: family(2) port(2) flowinfo(4) addr(16) scope(4)
  if (message.address.length < 24 || message.address.readUInt16LE(0) !== AF_INET6) return { ok: false, reason: 'missing-control-data' };
  const sourceBytes = message.address.subarray(8, 24);
  const decoded = decodeAdvert(message.data, {
    family: 'ipv6',
    source: sourceBytes,
    destination: info.destinationBytes,
    hopLimit: info.hopLimit,
    acceptAnyHopLimit: options.acceptAnyHopLimit ?? false,
  });
  if (!decoded.ok) return decoded;
  return {
    ok: true,
    advert: decoded.advert,
    checksum: decoded.checksum,
    source: bytesToIpv6(sourceBytes),
    destination: info.destination,
    hopLimit: info.hopLimit,
    ...(info.interfaceIndex === undefined ? {} : { interfaceIndex: info.interfaceIndex }),
  };
}
