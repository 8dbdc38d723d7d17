// Netlink sockets over sys' Socket: NetlinkSocket sends requests and matches the kernel's replies
// by sequence number (many in flight, ACKs, multipart dumps, errors with extended ACK, timeouts);
// NetlinkEventSocket joins multicast groups and turns a receive-queue overrun (ENOBUFS) into a
// 'resync' event, so that a storm of kernel events can never crash the process.
import { EventEmitter } from 'node:events';
import { AF_NETLINK, SOCK_RAW, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE } from '../sys/constants.js';
import { isSystemError } from '../sys/errors.js';
import { sockaddrNl } from '../sys/sockaddr.js';
import { Socket } from '../sys/socket.js';
import type { DecodeFailure } from './decode.js';
import { NetlinkError, NetlinkProtocolError, NetlinkTimeoutError } from './errors.js';
import {
  decodeAcknowledgement,
  decodeMessages,
  encodeMessage,
  NLM_F,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  type NetlinkMessage,
} from './message.js';

/** Netlink protocols (<linux/netlink.h>) this project speaks. */
export const NETLINK_ROUTE = 0;
export const NETLINK_GENERIC = 16;

/** SOL_NETLINK socket options. */
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;

const ENOBUFS = 105;
const EINTR = 4;
/** Dumps are sent in skbs of at most 32 KiB; a larger buffer never truncates one. */
const RECEIVE_LENGTH = 64 * 1024;
const MAX_DUMP_RESTARTS = 3;

function openNetlink(protocol: number, receiveBufferBytes: number): Socket {
  const socket = Socket.open(AF_NETLINK, SOCK_RAW, protocol);
  try {
    socket.bind(sockaddrNl(0, 0));
    setReceiveBuffer(socket, receiveBufferBytes);
    // Short ACKs (no echo of our request) with the kernel's reason text when it has one.
    socket.setOption(SOL_NETLINK, NETLINK_CAP_ACK, 1);
    socket.setOption(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** SO_RCVBUFFORCE passes net.core.rmem_max when we are privileged; otherwise SO_RCVBUF is capped by it. */
function setReceiveBuffer(socket: Socket, bytes: number): void {
  try {
    socket.setOption(SOL_SOCKET, SO_RCVBUFFORCE, bytes);
  } catch {
    socket.setOption(SOL_SOCKET, SO_RCVBUF, bytes);
  }
}

export interface NetlinkRequest {
  readonly type: number;
  /** NLM_F_* modifiers; NLM_F_REQUEST and NLM_F_ACK are always added. */
  readonly flags?: number;
  readonly payload?: Uint8Array;
  /** Names the operation in errors ('RTM_NEWADDR 10.0.0.1/24 dev eth0'). */
  readonly operation?: string;
  readonly timeoutMs?: number;
}

export interface NetlinkSocketOptions {
  /** How long a request may wait for its answer; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Kernel receive queue size; default 4 MiB so hundreds of ACKs in flight fit. */
  readonly receiveBufferBytes?: number;
  /** Requests beyond this many wait in a local queue; default 256. */
  readonly maxInFlight?: number;
}

interface PendingRequest {
  readonly request: NetlinkRequest;
  readonly operation: string;
  readonly isDump: boolean;
  readonly resolve: (messages: NetlinkMessage[]) => void;
  readonly reject: (error: Error) => void;
  replies: NetlinkMessage[];
  interrupted: boolean;
  restarts: number;
  timer: NodeJS.Timeout | undefined;
}

export interface NetlinkSocketStats {
  /** Replies whose sequence number matched nothing (late answers to timed-out requests). */
  unmatchedReplies: number;
  /** Datagrams that did not split into whole messages. */
  malformedDatagrams: number;
}

export class NetlinkSocket {
  readonly protocol: number;
  readonly stats: NetlinkSocketStats = { unmatchedReplies: 0, malformedDatagrams: 0 };
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  readonly #pending = new Map<number, PendingRequest>();
  readonly #waiting: PendingRequest[] = [];
  /** The kernel runs one dump per socket at a time (a second one gets EBUSY): the rest wait here. */
  readonly #waitingDumps: PendingRequest[] = [];
  #dumpRunning = false;
  #nextSeq = (Math.random() * 0x7fffffff) >>> 0;

  private constructor(protocol: number, socket: Socket, options: NetlinkSocketOptions) {
    this.protocol = protocol;
    this.#socket = socket;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxInFlight = options.maxInFlight ?? 256;
    socket.startReceiving(
      { maxLength: RECEIVE_LENGTH },
      (received) => this.#onDatagram(received.data, received.length),
      (error) => this.#onReceiveError(error),
    );
    // Pending requests hold timers; an idle socket alone must not keep the process alive.
    socket.unref();
  }

  static open(protocol: number, options: NetlinkSocketOptions = {}): NetlinkSocket {
    return new NetlinkSocket(protocol, openNetlink(protocol, options.receiveBufferBytes ?? 4 * 1024 * 1024), options);
  }

  get closed(): boolean {
    return this.#socket.closed;
  }

  /** Requests sent and not yet answered, plus those queued behind maxInFlight. */
  get outstanding(): number {
    return this.#pending.size + this.#waiting.length + this.#waitingDumps.length;
  }

  /**
   * Sends one request and resolves with every reply message before its ACK or NLMSG_DONE
   * (an empty array for a plain ACK). Rejects with NetlinkError carrying errno, code, the
   * operation and the kernel's extended-ACK text. Interrupted dumps are restarted.
   */
  request(request: NetlinkRequest): Promise<NetlinkMessage[]> {
    const operation = request.operation ?? `netlink message type ${request.type}`;
    if (this.closed) return Promise.reject(new NetlinkError(9, { operation: `${operation}: socket is closed` }, 'EBADF'));
    return new Promise((resolve, reject) => {
      const pending: PendingRequest = {
        request,
        operation,
        isDump: ((request.flags ?? 0) & NLM_F.DUMP) === NLM_F.DUMP,
        resolve,
        reject,
        replies: [],
        interrupted: false,
        restarts: 0,
        timer: undefined,
      };
      this.#dispatch(pending);
    });
  }

  /** Closes the socket; requests still waiting fail with ECANCELED. */
  close(): void {
    if (this.closed) return;
    this.#socket.close();
    const abandoned = [...this.#pending.values(), ...this.#waiting, ...this.#waitingDumps];
    this.#pending.clear();
    this.#waiting.length = 0;
    this.#waitingDumps.length = 0;
    for (const pending of abandoned) {
      clearTimeout(pending.timer);
      pending.reject(new NetlinkError(125, { operation: `${pending.operation}: socket closed` }, 'ECANCELED'));
    }
  }

  #dispatch(pending: PendingRequest): void {
    if (pending.isDump && this.#dumpRunning) this.#waitingDumps.push(pending);
    else if (this.#pending.size >= this.#maxInFlight) this.#waiting.push(pending);
    else {
      if (pending.isDump) this.#dumpRunning = true;
      this.#send(pending);
    }
  }

  #send(pending: PendingRequest): void {
    const seq = this.#allocateSeq();
    const { request } = pending;
    const bytes = encodeMessage({ type: request.type, flags: (request.flags ?? 0) | NLM_F.REQUEST | NLM_F.ACK, seq, payload: request.payload });
    pending.replies = [];
    pending.interrupted = false;
    this.#pending.set(seq, pending);
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.#finish(seq, new NetlinkTimeoutError(pending.operation, timeoutMs)), timeoutMs);
    try {
      if (!this.#socket.send(bytes, sockaddrNl(0, 0))) {
        this.#finish(seq, new NetlinkError(11, { operation: `${pending.operation}: socket send buffer full` }, 'EAGAIN'));
      }
    } catch (error) {
      this.#finish(seq, toNetlinkError(error, pending.operation));
    }
  }

  #allocateSeq(): number {
    do {
      this.#nextSeq = (this.#nextSeq + 1) >>> 0;
    } while (this.#nextSeq === 0 || this.#pending.has(this.#nextSeq));
    return this.#nextSeq;
  }

  /** Settles a request (result is its replies or an error) and lets a queued one go. */
  #finish(seq: number, result: NetlinkMessage[] | Error): void {
    const pending = this.#pending.get(seq);
    if (!pending) return;
    this.#pending.delete(seq);
    clearTimeout(pending.timer);
    if (result instanceof Error) pending.reject(result);
    else pending.resolve(result);
    if (this.closed) return;
    if (pending.isDump) {
      this.#dumpRunning = false;
      const nextDump = this.#waitingDumps.shift();
      if (nextDump) this.#dispatch(nextDump);
    }
    const next = this.#waiting.shift();
    if (next) this.#dispatch(next);
  }

  #onDatagram(data: Buffer, length: number): void {
    const { messages, error } = decodeMessages(data);
    if (error || length > data.length) this.stats.malformedDatagrams++;
    for (const message of messages) this.#onMessage(message);
  }

  #onMessage(message: NetlinkMessage): void {
    const pending = this.#pending.get(message.seq);
    if (!pending) {
      this.stats.unmatchedReplies++;
      return;
    }
    if (message.flags & NLM_F.DUMP_INTR) pending.interrupted = true;
    switch (message.type) {
      case NLMSG_NOOP:
        return;
      case NLMSG_OVERRUN:
        this.#finish(message.seq, new NetlinkError(ENOBUFS, { operation: `${pending.operation}: NLMSG_OVERRUN` }));
        return;
      case NLMSG_ERROR:
      case NLMSG_DONE:
        this.#onAcknowledgement(message, pending);
        return;
      default:
        pending.replies.push(message);
    }
  }

  #onAcknowledgement(message: NetlinkMessage, pending: PendingRequest): void {
    const ack = decodeAcknowledgement(message);
    if (!ack.ok) {
      this.#finish(message.seq, new NetlinkProtocolError(pending.operation, ack.error));
      return;
    }
    const { errno, extendedMessage, extendedOffset } = ack.value;
    if (errno !== 0) {
      this.#finish(message.seq, new NetlinkError(errno, { operation: pending.operation, extendedMessage, extendedOffset }));
      return;
    }
    if (pending.isDump && pending.interrupted) {
      // The kernel's table changed under the dump (NLM_F_DUMP_INTR): the result may be inconsistent.
      if (pending.restarts < MAX_DUMP_RESTARTS) {
        this.#pending.delete(message.seq);
        pending.restarts++;
        this.#send(pending);
      } else {
        this.#finish(message.seq, new NetlinkError(EINTR, { operation: `${pending.operation}: dump interrupted ${MAX_DUMP_RESTARTS + 1} times` }));
      }
      return;
    }
    this.#finish(message.seq, pending.replies);
  }

  #onReceiveError(error: Error): void {
    // Our queue overflowed, so some answers are lost and we cannot tell whose: fail them all
    // rather than let each wait for its timeout.
    const failure = toNetlinkError(error, 'receive');
    for (const [seq, pending] of [...this.#pending]) {
      this.#finish(seq, new NetlinkError(failure.errno, { operation: `${pending.operation}: ${failure.message}` }, failure.code));
    }
  }
}

function toNetlinkError(error: unknown, operation: string): NetlinkError {
  if (error instanceof NetlinkError) return error;
  if (isSystemError(error)) return new NetlinkError(error.errno, { operation: `${operation} (${error.syscall})` }, error.code);
  return new NetlinkError(5, { operation: `${operation}: ${String(error)}` }, 'EIO');
}

export interface NetlinkEventSocketOptions {
  /** Multicast groups to join (numbers, as in RTNLGRP_* or a genl group id). */
  readonly groups?: readonly number[];
  /** Kernel receive queue size; default 1 MiB. Small values make overruns (and resyncs) likely. */
  readonly receiveBufferBytes?: number;
}

export interface NetlinkEventSocketStats {
  messages: number;
  resyncs: number;
  malformedDatagrams: number;
}

export interface NetlinkEventSocketEvents {
  /** One multicast message from the kernel. */
  message: [message: NetlinkMessage];
  /** Events were lost (ENOBUFS): whatever state was built from events must be re-read with a dump. */
  resync: [];
  /** A datagram did not decode; the messages before the bad bytes were still delivered. */
  malformed: [failure: DecodeFailure | { code: 'TRUNCATED_DATAGRAM'; message: string }];
  /** Any other receive error (the socket keeps going). */
  receiveError: [error: Error];
}

export class NetlinkEventSocket extends EventEmitter<NetlinkEventSocketEvents> {
  readonly protocol: number;
  readonly stats: NetlinkEventSocketStats = { messages: 0, resyncs: 0, malformedDatagrams: 0 };
  readonly #socket: Socket;

  private constructor(protocol: number, socket: Socket) {
    super();
    this.protocol = protocol;
    this.#socket = socket;
    socket.startReceiving(
      { maxLength: RECEIVE_LENGTH },
      (received) => this.#onDatagram(received.data, received.length),
      (error) => this.#onReceiveError(error),
    );
  }

  static open(protocol: number, options: NetlinkEventSocketOptions = {}): NetlinkEventSocket {
    const socket = openNetlink(protocol, options.receiveBufferBytes ?? 1024 * 1024);
    try {
      for (const group of options.groups ?? []) socket.setOption(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    } catch (error) {
      socket.close();
      throw error;
    }
    return new NetlinkEventSocket(protocol, socket);
  }

  get closed(): boolean {
    return this.#socket.closed;
  }

  join(group: number): this {
    this.#socket.setOption(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
    return this;
  }

  leave(group: number): this {
    this.#socket.setOption(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group);
    return this;
  }

  /** Lets the process exit while this listener is open. */
  unref(): this {
    this.#socket.unref();
    return this;
  }

  close(): void {
    this.#socket.close();
  }

  #onDatagram(data: Buffer, length: number): void {
    const { messages, error } = decodeMessages(data);
    for (const message of messages) {
      this.stats.messages++;
      this.emit('message', message);
    }
    if (error) {
      this.stats.malformedDatagrams++;
      this.emit('malformed', error);
    } else if (length > data.length) {
      this.stats.malformedDatagrams++;
      this.emit('malformed', { code: 'TRUNCATED_DATAGRAM', message: `datagram of ${length} bytes read as ${data.length}` });
    }
  }

  #onReceiveError(error: Error): void {
    if (isSystemError(error) && error.code === 'ENOBUFS') {
      this.stats.resyncs++;
      this.emit('resync');
      return;
    }
    if (this.listenerCount('receiveError') > 0) this.emit('receiveError', error);
  }
}
