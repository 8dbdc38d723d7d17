// Opens and configures the sockets the VRRP runtime sends and receives on. Thin shells over
// sys/Socket: every protocol byte is built in packet.ts, arp.ts and ndisc.ts. Each function
// returns an open socket or throws the system error (errno, code, syscall) of the step that failed,
// after closing what it had opened.
import { isIPv4 } from 'node:net';
import {
  AF_INET, AF_INET6, AF_PACKET, IPPROTO_RAW, IPPROTO_VRRP, IPV6_ADD_MEMBERSHIP, IPV6_CHECKSUM,
  IPV6_MULTICAST_ALL, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_IF, IPV6_MULTICAST_LOOP, IPV6_RECVHOPLIMIT,
  IPV6_RECVPKTINFO, IPV6_UNICAST_HOPS, IP_ADD_MEMBERSHIP, IP_HDRINCL, IP_MULTICAST_ALL, IP_MULTICAST_IF,
  IP_MULTICAST_LOOP, IP_MULTICAST_TTL, IP_PKTINFO, IP_TTL, SOCK_RAW, SOL_IP, SOL_IPV6, SOL_SOCKET, SO_RCVBUF,
} from '../sys/constants.js';
import { interfaceIndex } from '../sys/interfaces.js';
import { ipv4ToBytes, ipv6ToBytes, sockaddrIn, sockaddrIn6, sockaddrLl } from '../sys/sockaddr.js';
import { Socket, type ReceiveOptions } from '../sys/socket.js';
import { VRRP_HOP_LIMIT, VRRP_IPV4_GROUP, VRRP_IPV6_GROUP } from './packet.js';
import { IPPROTO_AH } from './packet-ah.js';

/**
 * SO_TIMESTAMPNS (asm-generic/socket.h): each received advert carries the kernel's arrival stamp,
 * so that a backup's master-down timer counts from the advert's arrival, not from when the loop got
 * to it (measured: 0.15-0.6 ms later at advert_int 0.01, a tenth of Skew_Time).
 */
const SO_TIMESTAMPNS = 35;

/** Byte offset of the checksum in a VRRP message, for IPV6_CHECKSUM. */
const VRRP_CHECKSUM_OFFSET = 6;

/** recvmsg sizes for advert sockets: the largest advert (v3, IPv6, 255 addresses) plus headers, and room for pktinfo + hop limit + arrival stamp. */
export const ADVERT_RECEIVE_OPTIONS: ReceiveOptions = { maxLength: 4200, controlLength: 128 };

export interface AdvertSocketOptions {
  readonly interfaceName: string;
  /**
   * The multicast group to join (receive) or the default for sends: 224.0.0.18 / ff02::12.
   * `null` for unicast-only sockets (unicast_peer), which join nothing.
   */
  readonly group?: string | null;
}

export interface Ipv4AdvertReceiveOptions extends AdvertSocketOptions {
  /** Version 2 with AH authentication arrives as IP protocol 51, not 112. */
  readonly authentication?: 'ah';
}

/**
 * IPv4 advert send socket. IPPROTO_RAW implies IP_HDRINCL (we build the header as keepalived
 * does) and, unlike a protocol-112 socket, never queues received packets it would never read.
 */
export function openIpv4AdvertSendSocket(options: AdvertSocketOptions): Socket {
  const ifindex = requireInterface(options.interfaceName);
  return configure(Socket.open(AF_INET, SOCK_RAW, IPPROTO_RAW), (socket) => {
    socket.setOption(SOL_IP, IP_HDRINCL, 1);
    socket.bindToDevice(options.interfaceName);
    socket.setOption(SOL_IP, IP_MULTICAST_IF, ipMreqn('0.0.0.0', '0.0.0.0', ifindex));
    socket.setOption(SOL_IP, IP_MULTICAST_LOOP, 0);
    socket.setOption(SOL_IP, IP_MULTICAST_TTL, VRRP_HOP_LIMIT);
    socket.setOption(SOL_IP, IP_TTL, VRRP_HOP_LIMIT);
  });
}

/**
 * IPv4 protocol-112 receive socket on one interface: joins the group there, and with
 * IP_MULTICAST_ALL off sees only groups joined on this socket. IP_PKTINFO gives the arrival
 * interface and destination. Data arrives with the IPv4 header (TTL included).
 */
export function openIpv4AdvertReceiveSocket(options: Ipv4AdvertReceiveOptions): Socket {
  const ifindex = requireInterface(options.interfaceName);
  const group = options.group === undefined ? VRRP_IPV4_GROUP : options.group;
  const protocol = options.authentication === 'ah' ? IPPROTO_AH : IPPROTO_VRRP;
  return configure(Socket.open(AF_INET, SOCK_RAW, protocol), (socket) => {
    socket.bindToDevice(options.interfaceName);
    socket.setOption(SOL_IP, IP_MULTICAST_ALL, 0);
    socket.setOption(SOL_IP, IP_PKTINFO, 1);
    socket.setOption(SOL_SOCKET, SO_TIMESTAMPNS, 1);
    if (group !== null) socket.setOption(SOL_IP, IP_ADD_MEMBERSHIP, ipMreqn(group, '0.0.0.0', ifindex));
  });
}

export interface Ipv6AdvertSendOptions extends AdvertSocketOptions {
  /** Bind to this source (the interface's link-local address, as keepalived does). */
  readonly sourceAddress?: string;
}

/**
 * IPv6 protocol-112 send socket: hop limit 255 for multicast and unicast, loopback off, and the
 * kernel fills the checksum (IPV6_CHECKSUM at offset 6) over the pseudo-header of the source it
 * picks. Its receive buffer is shrunk to the minimum: it sees every incoming advert but is never read.
 */
export function openIpv6AdvertSendSocket(options: Ipv6AdvertSendOptions): Socket {
  const ifindex = requireInterface(options.interfaceName);
  return configure(Socket.open(AF_INET6, SOCK_RAW, IPPROTO_VRRP), (socket) => {
    socket.bindToDevice(options.interfaceName);
    socket.setOption(SOL_SOCKET, SO_RCVBUF, 0);
    socket.setOption(SOL_IPV6, IPV6_CHECKSUM, VRRP_CHECKSUM_OFFSET);
    socket.setOption(SOL_IPV6, IPV6_MULTICAST_IF, ifindex);
    socket.setOption(SOL_IPV6, IPV6_MULTICAST_LOOP, 0);
    socket.setOption(SOL_IPV6, IPV6_MULTICAST_HOPS, VRRP_HOP_LIMIT);
    socket.setOption(SOL_IPV6, IPV6_UNICAST_HOPS, VRRP_HOP_LIMIT);
    if (options.sourceAddress !== undefined) socket.bind(sockaddrIn6(options.sourceAddress, 0, ifindex));
  });
}

/**
 * IPv6 protocol-112 receive socket: joins ff02::12 on the interface and asks for the hop limit
 * and destination/arrival interface as control data. The checksum is verified in TypeScript (not
 * by the kernel) so that bad checksums are counted instead of silently vanishing.
 */
export function openIpv6AdvertReceiveSocket(options: AdvertSocketOptions): Socket {
  const ifindex = requireInterface(options.interfaceName);
  const group = options.group === undefined ? VRRP_IPV6_GROUP : options.group;
  return configure(Socket.open(AF_INET6, SOCK_RAW, IPPROTO_VRRP), (socket) => {
    socket.bindToDevice(options.interfaceName);
    socket.setOption(SOL_IPV6, IPV6_MULTICAST_ALL, 0);
    socket.setOption(SOL_IPV6, IPV6_RECVHOPLIMIT, 1);
    socket.setOption(SOL_IPV6, IPV6_RECVPKTINFO, 1);
    socket.setOption(SOL_SOCKET, SO_TIMESTAMPNS, 1);
    if (group !== null) socket.setOption(SOL_IPV6, IPV6_ADD_MEMBERSHIP, ipv6Mreq(group, ifindex));
  });
}

/** Sends an IPv4 advert packet (IP header included) to its destination. False when the buffer is full. */
export function sendIpv4Advert(socket: Socket, packet: Uint8Array, destination: string): boolean {
  return sendAdvert(socket, packet, sockaddrIn(destination));
}

/** Sends a VRRP message to an IPv6 destination out of the interface (scope needed for ff02::12 and fe80::/10). */
export function sendIpv6Advert(socket: Socket, message: Uint8Array, destination: string, ifindex: number): boolean {
  return sendAdvert(socket, message, sockaddrIn6(destination, 0, ifindex));
}

/**
 * The socket address an advert to `destination` is sent to; IPv6 carries the interface as scope
 * (needed for ff02::12 and fe80::/10). Built once per destination by the sender, not per advert.
 */
export function advertSockaddr(destination: string, ifindex: number): Buffer {
  return isIPv4(destination) ? sockaddrIn(destination) : sockaddrIn6(destination, 0, ifindex);
}

/** Sends an advert (IPv4: IP header included; IPv6: the VRRP message) to `advertSockaddr`'s address. False when the buffer is full. */
export function sendAdvert(socket: Socket, packet: Uint8Array, sockaddr: Buffer): boolean {
  return socket.send(packet, sockaddr);
}

/**
 * AF_PACKET socket for whole Ethernet frames (gratuitous ARP, unsolicited NA). Protocol 0:
 * it receives nothing.
 */
export function openPacketSendSocket(): Socket {
  return Socket.open(AF_PACKET, SOCK_RAW, 0);
}

/** Sends one Ethernet frame out of the interface; destination MAC and EtherType come from the frame. */
export function sendFrame(socket: Socket, ifindex: number, frame: Uint8Array): boolean {
  return socket.send(frame, frameSockaddr(ifindex, frame));
}

/** The AF_PACKET address a whole Ethernet frame is sent to (its destination MAC and EtherType). */
export function frameSockaddr(ifindex: number, frame: Uint8Array): Buffer {
  const etherType = (frame[12]! << 8) | frame[13]!;
  return sockaddrLl(ifindex, etherType, frame.subarray(0, 6));
}

/** The interface's index, or a thrown ENODEV-style error naming it. */
export function requireInterface(name: string): number {
  const index = interfaceIndex(name);
  if (index === undefined) {
    throw Object.assign(new Error(`no such interface: ${name}`), { errno: 19, code: 'ENODEV', syscall: 'if_nametoindex' });
  }
  return index;
}

function configure(socket: Socket, steps: (socket: Socket) => void): Socket {
  try {
    steps(socket);
    return socket;
  } catch (error) {
    socket.close();
    throw error;
  }
}

/** struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; } */
function ipMreqn(group: string, address: string, ifindex: number): Buffer {
  const request = Buffer.alloc(12);
  ipv4ToBytes(group).copy(request, 0);
  ipv4ToBytes(address).copy(request, 4);
  request.writeInt32LE(ifindex, 8);
  return request;
}

/** struct ipv6_mreq { in6_addr multiaddr; int ifindex; } */
function ipv6Mreq(group: string, ifindex: number): Buffer {
  const request = Buffer.alloc(20);
  ipv6ToBytes(group).copy(request, 0);
  request.writeInt32LE(ifindex, 16);
  return request;
}
