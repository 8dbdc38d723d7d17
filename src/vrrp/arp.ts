// Gratuitous ARP frames that tell a LAN a virtual IPv4 address moved to this host: an ARP request
// broadcast with sender = target = the VIP (RFC 5227 §3 "ARP Announcement"), the shape keepalived
// sends (its captures show the target hardware address as ff:ff:ff:ff:ff:ff too).
import { ETH_P_ARP, ETH_P_IP } from '../sys/constants.js';
import { ipv4ToBytes } from '../sys/sockaddr.js';

export const ETHERNET_HEADER_LENGTH = 14;
export const ARP_PACKET_LENGTH = 28;
export const BROADCAST_MAC = Buffer.from('ffffffffffff', 'hex');
const ARP_HARDWARE_ETHERNET = 1;
const ARP_OPERATION_REQUEST = 1;

export interface GratuitousArpFields {
  /** The interface's (or the virtual router's) MAC: Ethernet source and ARP sender. */
  readonly senderMac: Uint8Array;
  readonly address: string;
}

/** A complete 42-byte Ethernet frame for an AF_PACKET SOCK_RAW socket. */
export function buildGratuitousArp(fields: GratuitousArpFields): Buffer {
  if (fields.senderMac.length !== 6) throw new RangeError('sender MAC must be 6 bytes');
  const address = ipv4ToBytes(fields.address);
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + ARP_PACKET_LENGTH);
  BROADCAST_MAC.copy(frame, 0);
  frame.set(fields.senderMac, 6);
  frame.writeUInt16BE(ETH_P_ARP, 12);
  const arp = ETHERNET_HEADER_LENGTH;
  frame.writeUInt16BE(ARP_HARDWARE_ETHERNET, arp);
  frame.writeUInt16BE(ETH_P_IP, arp + 2);
  frame[arp + 4] = 6;
  frame[arp + 5] = 4;
  frame.writeUInt16BE(ARP_OPERATION_REQUEST, arp + 6);
  frame.set(fields.senderMac, arp + 8);
  address.copy(frame, arp + 14);
  BROADCAST_MAC.copy(frame, arp + 18);
  address.copy(frame, arp + 24);
  return frame;
}
