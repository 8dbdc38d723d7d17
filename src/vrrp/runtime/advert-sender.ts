// Builds and sends one instance's adverts. The VRRP message for a (priority, destination) pair is
// encoded once and cached; for IPv4 the whole packet is cached and only the IP id (counted up from
// 1 per instance, as keepalived does) and the header checksum change per send. IPv6 adverts go
// without an IP header through a socket bound to the source; the kernel fills the checksum.
// The destination's socket address is built once too: 50 instances at advert_int 1 send 50
// adverts a second, and an idle daemon's CPU is mostly this path (bench/vrrp-failover.mjs --idle-only).
// Version 2 with AH cannot be cached whole: every advert carries the next AH sequence number and
// an HMAC-MD5-96 over the packet (id and sequence included), so it is built per send.
// While MASTER, the priority-0 advert of each destination is armed in the addon (farewell.ts): a
// SIGTERM sends it from the signal handler, and the stop path then skips its own.
// A backup's take-over adverts can be handed to the addon ready-made (prepareSends), which sends
// them at the master-down deadline (instance-driver.ts); the reducer's send then only counts them.
import { internetChecksum } from '../checksum.js';
import { IPV4_HEADER_LENGTH } from '../ip-header.js';
import { encodeAdvert, passwordAuthData, type Advert } from '../packet.js';
import { encodeIpv4AdvertPacket } from '../packet-ipv4.js';
import { encodeIpv4AhAdvertPacket } from '../packet-ah.js';
import { advertSockaddr, sendAdvert } from '../raw-sockets.js';
import type { InstanceConfig } from '../types.js';
import type { PreparedSend } from '../../sys/native.js';
import type { Socket } from '../../sys/socket.js';
import type { SocketSet } from './socket-set.js';
import { Farewell, farewellFired } from './farewell.js';

export interface AdvertSenderOptions {
  readonly config: InstanceConfig;
  readonly addresses: readonly string[];
  readonly source: string;
  /** The multicast group, or the unicast peers (one advert each). */
  readonly destinations: readonly string[];
  readonly password?: string;
  /** Version 2 auth_type AH, keyed by `password`. */
  readonly ahAuthentication?: boolean;
  readonly v3ChecksumAsV2: boolean;
  readonly sockets: SocketSet;
}

export class AdvertSender {
  sent = 0;
  sendFailures = 0;
  #ipId = 0;
  /**
   * AH sequence number: one counter per instance that our adverts count up and that follows the
   * highest number heard from the peers (the first advert of a fresh instance carries 1).
   */
  #ahSequence = 0;
  /** Encoded packets by priority, then destination (no key string built per send). */
  readonly #cache = new Map<number, Map<string, Buffer>>();
  readonly #sockaddrs = new Map<string, Buffer>();
  readonly #farewells = new Map<string, Farewell>();
  /** The priority whose adverts the addon has just sent at a deadline (sendAtDeadline), and how many failed. */
  #sentAhead: { priority: number; failures: number } | undefined;
  #source: string;

  constructor(private readonly options: AdvertSenderOptions) {
    this.#source = options.source;
  }

  /** The interface's address changed: later adverts go from `source` (cached packets are rebuilt). */
  changeSource(source: string): void {
    if (source === this.#source) return;
    this.#source = source;
    this.#cache.clear();
  }

  /**
   * Builds the packets of these priorities (and the destinations' socket addresses) ahead of their
   * first send: a backup's first advert as MASTER and a master's priority-0 advert on shutdown then
   * leave without being encoded first.
   */
  prepare(priorities: readonly number[]): void {
    for (const destination of this.options.destinations) {
      this.#sockaddr(destination);
      if (this.options.ahAuthentication) continue; // built per send
      for (const priority of priorities) this.#packet(priority, destination);
    }
  }

  /**
   * This priority's adverts, one per destination, ready for the addon to send (sendAtDeadline): the
   * IPv4 id and header checksum (and with AH the next sequence number and the ICV) are filled in
   * as for a send; a prepared packet never sent only leaves a gap in those numbers, which peers
   * accept. Undefined once a farewell has left (the process is stopping).
   */
  prepareSends(priority: number): PreparedSend[] | undefined {
    if (farewellFired()) return undefined;
    return this.options.destinations.map((destination) => {
      const { socket, packet, sockaddr } = this.#ready(priority, destination);
      return [socket.fd, packet, sockaddr] as const;
    });
  }

  /** The addon sent prepareSends(priority)'s packets, `succeeded` of them: the next send(priority) only counts them. */
  sentAhead(priority: number, succeeded: number): void {
    this.#sentAhead = { priority, failures: this.options.destinations.length - succeeded };
  }

  /** What sentAhead() recorded and no send() took is dropped: the next advert of that priority goes out. */
  forgetSentAhead(): void {
    this.#sentAhead = undefined;
  }

  /** Sends the advert to every destination; returns how many sends failed (full socket buffer, error). */
  send(priority: number): number {
    // The signal handler has said goodbye for us: an ordinary advert now would make the backups
    // wait a whole Master_Down_Interval instead of Skew_Time. The stop path is on its way.
    if (priority > 0 && farewellFired()) return 0;
    const ahead = this.#sentAhead;
    this.#sentAhead = undefined;
    if (ahead !== undefined && ahead.priority === priority) return this.#countSentAhead(ahead.failures);
    let failures = 0;
    for (const destination of this.options.destinations) {
      let ok: boolean;
      try {
        ok = priority === 0 && this.#farewells.get(destination)?.sent === true ? true : this.#sendOne(priority, destination);
        if (priority > 0) this.#armFarewell(destination);
      } catch {
        ok = false;
      }
      if (ok) this.sent++;
      else failures++;
    }
    this.sendFailures += failures;
    return failures;
  }

  #countSentAhead(failures: number): number {
    for (const destination of this.options.destinations) {
      try {
        this.#armFarewell(destination);
      } catch {
        // as in send(): the stop path then sends the priority-0 advert itself
      }
    }
    this.sent += this.options.destinations.length - failures;
    this.sendFailures += failures;
    return failures;
  }

  /** Not MASTER any more (or stopped): no priority-0 advert must leave on a signal. */
  disarmFarewells(): void {
    for (const farewell of this.#farewells.values()) farewell.disarm();
    this.#farewells.clear();
  }

  #armFarewell(destination: string): void {
    if (this.options.ahAuthentication) return; // its packet changes with every send
    const { sockets, config } = this.options;
    let farewell = this.#farewells.get(destination);
    if (farewell === undefined) {
      farewell = new Farewell();
      this.#farewells.set(destination, farewell);
    }
    const socket = config.family === 'ipv6' ? sockets.ipv6SendSocket(this.#source) : sockets.ipv4SendSocket();
    farewell.arm(socket.fd, this.#packet(0, destination), this.#sockaddr(destination));
  }

  #sendOne(priority: number, destination: string): boolean {
    const { socket, packet, sockaddr } = this.#ready(priority, destination);
    return sendAdvert(socket, packet, sockaddr);
  }

  /** The socket, bytes and address of the next advert to `destination` (the IPv4 id counts it as sent). */
  #ready(priority: number, destination: string): { socket: Socket; packet: Buffer; sockaddr: Buffer } {
    const { sockets, config } = this.options;
    const sockaddr = this.#sockaddr(destination);
    if (config.family === 'ipv6') return { socket: sockets.ipv6SendSocket(this.#source), packet: this.#packet(priority, destination), sockaddr };
    this.#ipId = (this.#ipId % 0xffff) + 1;
    if (this.options.ahAuthentication) return { socket: sockets.ipv4SendSocket(), packet: this.#ahPacket(priority, destination), sockaddr };
    const packet = this.#packet(priority, destination);
    packet.writeUInt16BE(this.#ipId, 4);
    packet.writeUInt16BE(0, 10);
    packet.writeUInt16BE(internetChecksum(packet, 0, IPV4_HEADER_LENGTH), 10);
    return { socket: sockets.ipv4SendSocket(), packet, sockaddr };
  }

  #sockaddr(destination: string): Buffer {
    let sockaddr = this.#sockaddrs.get(destination);
    if (sockaddr === undefined) {
      sockaddr = advertSockaddr(destination, this.options.sockets.ifindex);
      this.#sockaddrs.set(destination, sockaddr);
    }
    return sockaddr;
  }

  /**
   * AH anti-replay as keepalived 2.2.7 does it on the wire (measured): an AH advert must carry a
   * sequence number above every one sent or accepted so far, and an accepted one moves the counter
   * up. A restarted router therefore listens as BACKUP first and continues above the master's count,
   * so the master accepts its adverts. False = replayed (or stale) sequence number: drop it.
   */
  acceptAhSequence(sequence: number): boolean {
    if (sequence <= this.#ahSequence) return false;
    this.#ahSequence = sequence;
    return true;
  }

  #ahPacket(priority: number, destination: string): Buffer {
    const { config, addresses, password } = this.options;
    const source = this.#source;
    this.#ahSequence = (this.#ahSequence + 1) >>> 0;
    return encodeIpv4AhAdvertPacket({
      version: 2, family: 'ipv4', vrid: config.vrid, priority, addresses,
      advertIntervalSeconds: Math.round(config.advertIntervalMs / 1000), authType: 'ah', authData: new Uint8Array(8),
    }, { source, destination, id: this.#ipId, sequence: this.#ahSequence, password: password ?? '' });
  }

  #packet(priority: number, destination: string): Buffer {
    let byDestination = this.#cache.get(priority);
    if (byDestination === undefined) {
      byDestination = new Map();
      this.#cache.set(priority, byDestination);
    }
    let packet = byDestination.get(destination);
    if (packet === undefined) {
      const { config, v3ChecksumAsV2 } = this.options;
      const source = this.#source;
      const advert = this.#advert(priority);
      packet = config.family === 'ipv4'
        ? encodeIpv4AdvertPacket(advert, { source, destination, id: 0, v3ChecksumAsV2 })
        : encodeAdvert(advert, { source, destination });
      byDestination.set(destination, packet);
    }
    return packet;
  }

  #advert(priority: number): Advert {
    const { config, addresses, password } = this.options;
    if (config.version === 2) {
      return {
        version: 2, family: 'ipv4', vrid: config.vrid, priority, addresses,
        advertIntervalSeconds: Math.round(config.advertIntervalMs / 1000),
        authType: password === undefined ? 'none' : 'pass',
        authData: password === undefined ? new Uint8Array(8) : passwordAuthData(password),
      };
    }
    return { version: 3, family: config.family, vrid: config.vrid, priority, addresses, maxAdvertIntervalCentiseconds: Math.round(config.advertIntervalMs / 10) };
  }
}
