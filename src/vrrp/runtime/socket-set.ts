// One set of raw sockets per (interface, family, mode, authentication): a receive socket (joined
// to the VRRP group in multicast mode, joined to nothing in unicast mode) and the send sockets,
// shared by every instance speaking there. Received packets are decoded and checked in keepalived's order
// (packet-received.ts, packet-validate.ts) and handed to the instance with that VRID; every drop is
// counted by reason on the socket set and, once the VRID is known, on the instance too.
// Version 2 adverts with AH authentication travel as IP protocol 51, which a protocol-112 socket
// never sees: AH instances get socket sets of their own, whose receive socket is a protocol-51 one.
import type { Logger } from '../../common/logger.js';
import type { ReceivedMessage } from '../../sys/native.js';
import type { Socket } from '../../sys/socket.js';
import { decodeReceivedIpv4Advert, decodeReceivedIpv6Advert, type ReceivedAdvert as ReceivedPacket } from '../packet-received.js';
import { validateAdvert, type AdvertExpectation } from '../packet-validate.js';
import {
  ADVERT_RECEIVE_OPTIONS, openIpv4AdvertReceiveSocket, openIpv4AdvertSendSocket, openIpv6AdvertReceiveSocket,
  openIpv6AdvertSendSocket, requireInterface,
} from '../raw-sockets.js';
import type { AddressFamily } from '../types.js';
import { monotonicNowMs } from '../timer-set.js';
import { SOL_IPV6 } from '../../sys/constants.js';
import { VRRP_IPV4_TOS } from '../ip-header.js';
import { DropCounter, type RuntimeDropReason } from './drop-counter.js';

export type SocketMode = 'multicast' | 'unicast';
/** 'ah': the set carries version 2 adverts behind an IPsec AH header (IP protocol 51). */
export type SocketAuthentication = 'ah' | undefined;

/** IPV6_TCLASS (linux/in6.h): keepalived sends IPv6 adverts with traffic class CS6, as its IPv4 TOS. */
const IPV6_TCLASS = 67;

/** What a socket set needs from an instance listening on it. */
export interface AdvertListener {
  readonly vrid: number;
  readonly expectation: AdvertExpectation;
  /** Unicast peers whose adverts are accepted when source checking is on; undefined = any source. */
  readonly acceptedSources: ReadonlySet<string> | undefined;
  readonly drops: DropCounter;
  /** AH instances: whether this AH sequence number is fresh (and now the highest seen). */
  acceptAhSequence?(sequence: number): boolean;
  /** `arrivedAtMs`: when the kernel received it, on the monotonic clock (monotonicNowMs). */
  onAdvert(packet: ReceivedPacket, arrivedAtMs: number): void;
}

/** An arrival stamp older than this is not believed (the realtime clock was stepped meanwhile). */
const MAX_BELIEVED_AGE_MS = 1000;

/**
 * When the kernel received `message`, on the monotonic clock: the moment it was read (readAtMs,
 * else `now`) less the age of its arrival stamp. Adverts read late (a busy loop, or two queued)
 * then still count from their arrival, and the master-down deadline does not move by the time
 * spent decoding the message.
 */
export function arrivalTimeMs(message: ReceivedMessage, nowMs: number): number {
  const readAtMs = message.readAtMs ?? nowMs;
  const ageMs = message.ageNs === undefined ? 0 : message.ageNs / 1e6;
  return ageMs > 0 && ageMs < MAX_BELIEVED_AGE_MS ? readAtMs - ageMs : readAtMs;
}

export function socketSetKey(interfaceName: string, family: AddressFamily, mode: SocketMode, authentication?: SocketAuthentication): string {
  return `${interfaceName}/${family}/${mode}${authentication === undefined ? '' : `/${authentication}`}`;
}

function isMulticast(family: AddressFamily, destination: string): boolean {
  if (family === 'ipv6') return destination.toLowerCase().startsWith('ff');
  const first = Number(destination.slice(0, destination.indexOf('.')));
  return first >= 224 && first <= 239;
}

export class SocketSet {
  readonly key: string;
  readonly ifindex: number;
  readonly drops: DropCounter;
  received = 0;
  /** Log each advert for a VRID nobody here has (global log_unknown_vrids); else only count it. */
  logUnknownVrids = false;
  readonly #listeners = new Map<number, AdvertListener>();
  readonly #receiveSocket: Socket;
  readonly #ipv4SendSocket: Socket | undefined;
  readonly #ipv6SendSockets = new Map<string, Socket>();
  /** The VRID whose AH key the packet being decoded asked for: a failed ICV is that instance's too. */
  #ahVridAsked: number | undefined;

  constructor(
    readonly interfaceName: string,
    readonly family: AddressFamily,
    readonly mode: SocketMode,
    group: string,
    private readonly logger: Logger,
    /**
     * Whether a socket set of the other mode listens on the same interface and family. A raw
     * socket sees every protocol-112 packet for the host: one of the other mode belongs to that set
     * and is ignored here, not counted as a drop.
     */
    private readonly otherModeListening: () => boolean = () => false,
    readonly authentication: SocketAuthentication = undefined,
  ) {
    this.key = socketSetKey(interfaceName, family, mode, authentication);
    this.ifindex = requireInterface(interfaceName);
    this.drops = new DropCounter(logger, `[${this.key}] `);
    const joined = mode === 'multicast' ? group : null;
    this.#receiveSocket = family === 'ipv4'
      ? openIpv4AdvertReceiveSocket({ interfaceName, group: joined, ...(authentication === undefined ? {} : { authentication }) })
      : openIpv6AdvertReceiveSocket({ interfaceName, group: joined });
    try {
      this.#ipv4SendSocket = family === 'ipv4' ? openIpv4AdvertSendSocket({ interfaceName }) : undefined;
    } catch (error) {
      this.#receiveSocket.close();
      throw error;
    }
    this.#receiveSocket.startReceiving(ADVERT_RECEIVE_OPTIONS, (message) => this.#onMessage(message), (error) => {
      this.logger.warn({ err: error, socket: this.key }, `[${this.key}] receive error: ${error.message}`);
    });
  }

  /** The AH key of the instance with this VRID (only AH instances listen on an AH set). */
  readonly #ahPasswordFor = (vrid: number): string | undefined => {
    this.#ahVridAsked = vrid;
    const expectation = this.#listeners.get(vrid)?.expectation;
    return expectation?.authType === 'ah' ? expectation.password : undefined;
  };

  add(listener: AdvertListener): void {
    if (this.#listeners.has(listener.vrid)) throw new Error(`VRID ${listener.vrid} is used twice on ${this.key}`);
    this.#listeners.set(listener.vrid, listener);
  }

  remove(listener: AdvertListener): void {
    if (this.#listeners.get(listener.vrid) === listener) this.#listeners.delete(listener.vrid);
  }

  get size(): number {
    return this.#listeners.size;
  }

  /** The IPv4 send socket (IP_HDRINCL: the sender writes the header). */
  ipv4SendSocket(): Socket {
    if (!this.#ipv4SendSocket) throw new Error(`${this.key} has no IPv4 send socket`);
    return this.#ipv4SendSocket;
  }

  /** An IPv6 send socket bound to `source` (the kernel fills the checksum over that pseudo-header). */
  ipv6SendSocket(source: string): Socket {
    let socket = this.#ipv6SendSockets.get(source);
    if (!socket) {
      socket = openIpv6AdvertSendSocket({ interfaceName: this.interfaceName, sourceAddress: source });
      socket.setOption(SOL_IPV6, IPV6_TCLASS, VRRP_IPV4_TOS);
      this.#ipv6SendSockets.set(source, socket);
    }
    return socket;
  }

  /**
   * Reads, now, whatever already waits in the receive queue. A master-down timer calls it before it
   * acts: after the loop was held up, libuv runs due timers before it polls sockets, so an advert
   * that arrived in time would be read only after the backup had taken over. keepalived's loop
   * sees the readable socket first; this gives a busy backup the same chance.
   */
  /** The receiving socket's fd (undefined once closed). */
  get receiveFd(): number | undefined {
    return this.#receiveSocket.closed ? undefined : this.#receiveSocket.fd;
  }

  drainPending(): void {
    for (;;) {
      let message: ReceivedMessage | null;
      try {
        message = this.#receiveSocket.receive(ADVERT_RECEIVE_OPTIONS);
      } catch {
        return; // EAGAIN and friends: the watcher reports real errors
      }
      if (message === null) return;
      this.#onMessage(message);
    }
  }

  close(): void {
    this.#receiveSocket.close();
    this.#ipv4SendSocket?.close();
    for (const socket of this.#ipv6SendSockets.values()) socket.close();
    this.#ipv6SendSockets.clear();
  }

  #onMessage(message: ReceivedMessage): void {
    this.received++;
    const now = monotonicNowMs();
    const acceptAnyHopLimit = this.mode === 'unicast';
    this.#ahVridAsked = undefined;
    const decoded = this.family === 'ipv4'
      ? decodeReceivedIpv4Advert(message, { acceptAnyHopLimit, ahPasswordFor: this.#ahPasswordFor })
      : decodeReceivedIpv6Advert(message, { acceptAnyHopLimit });
    if (!decoded.ok) {
      this.drops.count(decoded.reason, 'a sender', now);
      // keepalived counts a wrong AH ICV in the instance's auth_failure (measured): once the key
      // was looked up by VRID, the instance is known although the packet was not decoded.
      if (decoded.reason === 'auth-mismatch' && this.#ahVridAsked !== undefined) this.#listeners.get(this.#ahVridAsked)?.drops.count(decoded.reason, 'a sender', now);
      return;
    }
    const modeMatches = (this.mode === 'multicast') === isMulticast(this.family, decoded.destination);
    if (!modeMatches && this.otherModeListening()) return;
    const listener = this.#listeners.get(decoded.advert.vrid);
    const drop = (reason: RuntimeDropReason): void => {
      this.drops.count(reason, decoded.source, now);
      listener?.drops.count(reason, decoded.source, now);
    };
    if (listener === undefined) {
      this.drops.count('unknown-vrid', decoded.source, now, { log: false });
      // keepalived 2.2.7's line, one per advert (measured); it logs nothing without the keyword.
      if (this.logUnknownVrids) this.logger.info(`Unknown VRID(${decoded.advert.vrid}) received on interface(${this.interfaceName}). ignoring...`);
      return;
    }
    const validation = validateAdvert(decoded.advert, () => listener.expectation);
    if (!validation.ok) return drop(validation.reason);
    if (!modeMatches) return drop('mode-mismatch');
    if (listener.acceptedSources !== undefined && !listener.acceptedSources.has(decoded.source)) return drop('unknown-unicast-source');
    if (decoded.ah !== undefined && listener.acceptAhSequence?.(decoded.ah.sequence) === false) return drop('ah-replayed-sequence');
    listener.onAdvert(decoded, arrivalTimeMs(message, now));
  }
}
