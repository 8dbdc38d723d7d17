// Unsolicited Neighbour Advertisements (RFC 4861 §7.2.6) that move a virtual IPv6 address: to
// all-nodes ff02::1, hop limit 255, Override flag set, with the target link-layer address option
// so neighbours update their cache at once. Built as a whole Ethernet frame for AF_PACKET.
import { ETH_P_IPV6, IPPROTO_ICMPV6 } from '../sys/constants.js';
import { ipv6ToBytes } from '../sys/sockaddr.js';
import { ETHERNET_HEADER_LENGTH } from './arp.js';
import { internetChecksum, ipv6PseudoHeaderSum } from './checksum.js';

export const ALL_NODES_ADDRESS = 'ff02::1';
/** 33-33 + the low 32 bits of ff02::1 (RFC 2464 §7). */
export const ALL_NODES_MAC = Buffer.from('333300000001', 'hex');
const IPV6_HEADER_LENGTH = 40;
const ICMPV6_NEIGHBOUR_ADVERTISEMENT = 136;
const NA_FLAG_ROUTER = 0x80;
const NA_FLAG_OVERRIDE = 0x20;
const OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
/** ICMPv6 header (4) + flags/reserved (4) + target (16) + TLLA option (8). */
const NA_LENGTH = 32;

export interface UnsolicitedNaFields {
  readonly senderMac: Uint8Array;
  /** The IPv6 source: the interface's link-local address. */
  readonly sourceAddress: string;
  /** The virtual address being announced. */
  readonly targetAddress: string;
  /** Set the Router flag (the sender forwards IPv6). */
  readonly router?: boolean;
}

/** A complete 86-byte Ethernet frame for an AF_PACKET SOCK_RAW socket. */
export function buildUnsolicitedNa(fields: UnsolicitedNaFields): Buffer {
  if (fields.senderMac.length !== 6) throw new RangeError('sender MAC must be 6 bytes');
  const source = ipv6ToBytes(fields.sourceAddress);
  const destination = ipv6ToBytes(ALL_NODES_ADDRESS);
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + NA_LENGTH);
  ALL_NODES_MAC.copy(frame, 0);
  frame.set(fields.senderMac, 6);
  frame.writeUInt16BE(ETH_P_IPV6, 12);

  const ip = ETHERNET_HEADER_LENGTH;
  frame.writeUInt32BE(0x60000000, ip); // version 6, traffic class 0, flow label 0
  frame.writeUInt16BE(NA_LENGTH, ip + 4);
  frame[ip + 6] = IPPROTO_ICMPV6;
  frame[ip + 7] = 255;
  source.copy(frame, ip + 8);
  destination.copy(frame, ip + 24);

  const icmp = ip + IPV6_HEADER_LENGTH;
  frame[icmp] = ICMPV6_NEIGHBOUR_ADVERTISEMENT;
  frame[icmp + 4] = NA_FLAG_OVERRIDE | (fields.router ? NA_FLAG_ROUTER : 0);
  ipv6ToBytes(fields.targetAddress).copy(frame, icmp + 8);
  frame[icmp + 24] = OPTION_TARGET_LINK_LAYER_ADDRESS;
  frame[icmp + 25] = 1; // option length in units of 8 bytes
  frame.set(fields.senderMac, icmp + 26);
  const message = frame.subarray(icmp);
  message.writeUInt16BE(internetChecksum(message, ipv6PseudoHeaderSum(source, destination, IPPROTO_ICMPV6, NA_LENGTH)), 2);
  return frame;
}
