// Netlink sockets over sys' Socket: NetlinkSocket sends requests and matches the kernel's replies
// by sequence number (many in flight, ACKs, multipart dumps, errors with extended ACK, timeouts);
// NetlinkEventSocket joins multicast groups and turns a receive-queue overrun (ENOBUFS) into a
// 'resync' event, so that a storm of kernel events can never crash the process.
import { EventEmitter } from 'node:events';
import { AF_NETLINK, SOCK_RAW, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE } from '../sys/constants.js';
import { isSystemError } from '../sys/errors.js';
import { sockaddrNl } from '../sys/sockaddr.js';
import type { ReceivedMessage } from '../sys/index.js';
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

/**
 * Reads everything queued on the socket now. After an overrun the kernel marks a netlink socket
 * congested and silently drops every new message for it until its queue has been read empty.
 */
function readQueueEmpty(socket: Socket, onDatagram: (message: ReceivedMessage) => void): void {
  for (let reads = 0; reads < 100_000 && !socket.closed; reads++) {
    let received;
    try {
      received = socket.receive({ maxLength: RECEIVE_LENGTH });
    } catch (error) {
      if (isSystemError(error) && error.code === 'ENOBUFS') continue;
      return;
    }
    if (received === null) return;
    onDatagram(received);
  }
}

export interface NetlinkRequest {
  readonly type: number;
  /** NLM_F_* modifiers; NLM_F_REQUEST and NLM_F_ACK are always added. */
  readonly flags?: number;
  readonly payload?: Uint8Array;
  /** Names the operation in errors ('RTM_NEWADDR 10.0.0.1/24 dev eth0'). */
  readonly operation?: string;
  /** Counted from when the request is sent (not while it waits behind maxInFlight or a dump). */
  readonly timeoutMs?: number;
}

export interface NetlinkSocketOptions {
  /** How long a request may wait for its answer; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Kernel receive queue size; default 4 MiB so hundreds of ACKs in flight fit. */
  readonly receiveBufferBytes?: number;
  /** Requests beyond this many wait in a local queue; default 256. */
  readonly maxInFlight?: number;
  /** Port id requests go to: 0 (the default) is the kernel; tests put a user-space peer here. */
  readonly peerPortId?: number;
}

/** NetlinkSocket.prepareRequest's result: send `bytes` through `fd` to `peer`, then call sent() once. */
export interface PreparedNetlinkRequest {
  readonly fd: number;
  readonly bytes: Buffer;
  readonly peer: Buffer;
  /** The bytes left: resolves or rejects as request() would. */
  sent(): Promise<NetlinkMessage[]>;
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
  /** performance.now() after which the request fails with a timeout. */
  deadline: number;
  timeoutMs: number;
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
  readonly #peer: Buffer;
  readonly #pending = new Map<number, PendingRequest>();
  readonly #waiting: PendingRequest[] = [];
  /** The kernel runs one dump per socket at a time (a second one gets EBUSY): the rest wait here. */
  readonly #waitingDumps: PendingRequest[] = [];
  #dumpRunning = false;
  /** Set while the queue is read empty after an overrun (see #drainAfterOverrun). */
  #congested = false;
  #nextSeq = (Math.random() * 0x7fffffff) >>> 0;
  /**
   * One timer for all requests rather than one each (a timer per request costs more than the
   * request itself under load): it fires at the earliest deadline armed, fails what has expired
   * and re-arms for the earliest left.
   */
  #deadlineTimer: NodeJS.Timeout | undefined;
  #armedDeadline = Infinity;

  private constructor(protocol: number, socket: Socket, options: NetlinkSocketOptions) {
    this.protocol = protocol;
    this.#socket = socket;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxInFlight = options.maxInFlight ?? 256;
    this.#peer = sockaddrNl(options.peerPortId ?? 0, 0);
    // Only the deadline timer, armed while requests are pending, keeps the process alive.
    socket.startReceiving({ maxLength: RECEIVE_LENGTH }, (received) => this.#onDatagram(received.data, received.length), (error) => this.#onReceiveError(error));
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
        deadline: 0,
        timeoutMs: request.timeoutMs ?? this.#timeoutMs,
      };
      this.#dispatch(pending);
    });
  }

  /**
   * A request encoded now for someone else to send (the addon, at a take-over deadline: a VIP's
   * RTM_NEWADDR right behind the advert): its bytes go through `fd` to `peer`, then sent() tracks
   * it exactly as request() would have, from that moment. A prepared request never sent needs
   * nothing more. Undefined when a request could not leave at once (closed, congested, a dump:
   * those go through request()).
   */
  prepareRequest(request: NetlinkRequest): PreparedNetlinkRequest | undefined {
    if (this.closed || this.#congested || this.#pending.size >= this.#maxInFlight) return undefined;
    if (((request.flags ?? 0) & NLM_F.DUMP) === NLM_F.DUMP) return undefined;
    const seq = this.#allocateSeq();
    const bytes = encodeMessage({ type: request.type, flags: (request.flags ?? 0) | NLM_F.REQUEST | NLM_F.ACK, seq, payload: request.payload });
    const operation = request.operation ?? `netlink message type ${request.type}`;
    return {
      fd: this.#socket.fd,
      bytes,
      peer: this.#peer,
      sent: () => {
        if (this.closed || this.#pending.has(seq)) return Promise.reject(new NetlinkError(125, { operation: `${operation}: socket closed or sequence reused` }, 'ECANCELED'));
        return new Promise((resolve, reject) => {
          const timeoutMs = request.timeoutMs ?? this.#timeoutMs;
          const pending: PendingRequest = { request, operation, isDump: false, resolve, reject, replies: [], interrupted: false, restarts: 0, deadline: performance.now() + timeoutMs, timeoutMs };
          this.#pending.set(seq, pending);
          if (pending.deadline < this.#armedDeadline) this.#armDeadline(pending.deadline);
        });
      },
    };
  }

  /** Closes the socket; requests still waiting fail with ECANCELED. */
  close(): void {
    if (this.closed) return;
    this.#socket.close();
    const abandoned = [...this.#pending.values(), ...this.#waiting, ...this.#waitingDumps];
    this.#pending.clear();
    this.#waiting.length = 0;
    this.#waitingDumps.length = 0;
    clearTimeout(this.#deadlineTimer);
    for (const pending of abandoned) {
      pending.reject(new NetlinkError(125, { operation: `${pending.operation}: socket closed` }, 'ECANCELED'));
    }
  }

  #dispatch(pending: PendingRequest): void {
    if (pending.isDump && this.#dumpRunning) this.#waitingDumps.push(pending);
    else if (this.#congested || this.#pending.size >= this.#maxInFlight) this.#waiting.push(pending);
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
    pending.deadline = performance.now() + pending.timeoutMs;
    if (pending.deadline < this.#armedDeadline) this.#armDeadline(pending.deadline);
    let failure: NetlinkError | undefined;
    try {
      if (!this.#socket.send(bytes, this.#peer)) failure = new NetlinkError(11, { operation: `${pending.operation}: socket send buffer full` }, 'EAGAIN');
    } catch (error) {
      failure = toNetlinkError(error, pending.operation);
    }
    // Settled on a later tick: finishing sends the next queued request, and a run of failing
    // sends must not recurse once per queued request.
    if (failure) queueMicrotask(() => this.#finish(seq, failure));
  }

  #armDeadline(deadline: number): void {
    clearTimeout(this.#deadlineTimer);
    this.#armedDeadline = deadline;
    this.#deadlineTimer = setTimeout(() => this.#expire(), Math.max(0, deadline - performance.now()));
  }

  #disarmDeadline(): void {
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    this.#armedDeadline = Infinity;
  }

  #expire(): void {
    this.#disarmDeadline();
    const now = performance.now();
    let earliest = Infinity;
    for (const [seq, pending] of [...this.#pending]) {
      if (pending.deadline <= now) this.#finish(seq, new NetlinkTimeoutError(pending.operation, pending.timeoutMs));
    }
    for (const pending of this.#pending.values()) earliest = Math.min(earliest, pending.deadline);
    if (earliest < this.#armedDeadline) this.#armDeadline(earliest);
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
    if (this.#pending.size === 0) this.#disarmDeadline();
    if (result instanceof Error) pending.reject(result);
    else pending.resolve(result);
    if (pending.isDump) this.#dumpRunning = false;
    this.#pump();
  }

  /** Sends what waits, as far as the one-dump rule, maxInFlight and congestion allow. */
  #pump(): void {
    if (this.closed || this.#congested) return;
    const nextDump = this.#dumpRunning ? undefined : this.#waitingDumps.shift();
    if (nextDump) this.#dispatch(nextDump);
    while (this.#waiting.length > 0 && this.#pending.size < this.#maxInFlight && !this.#congested) this.#dispatch(this.#waiting.shift()!);
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
    const failure = toNetlinkError(error, 'receive');
    if (failure.code === 'ENOBUFS') this.#drainAfterOverrun();
    // Some answers are lost and we cannot tell whose: fail every request still waiting rather
    // than let each run into its timeout.
    for (const [seq, pending] of [...this.#pending]) {
      this.#finish(seq, new NetlinkError(failure.errno, { operation: `${pending.operation}: ${failure.message}` }, failure.code));
    }
    this.#pump();
  }

  /**
   * After an overrun the kernel marks the socket congested and silently drops every further
   * answer until the queue has been read empty. So read it empty now (answers still delivered
   * where they match), holding back new requests meanwhile.
   */
  #drainAfterOverrun(): void {
    this.#congested = true;
    try {
      readQueueEmpty(this.#socket, (received) => this.#onDatagram(received.data, received.length));
    } finally {
      this.#congested = false;
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
  /** Datagrams read and dropped after an overrun, before 'resync' was emitted. */
  discardedAfterOverrun: number;
}

export interface NetlinkEventSocketEvents {
  /** One multicast message from the kernel. */
  message: [message: NetlinkMessage];
  /**
   * Events were lost (ENOBUFS): whatever state was built from events must be re-read with a dump.
   * Events still queued at that moment were discarded; every change after this event is delivered.
   */
  resync: [];
  /** A datagram did not decode; the messages before the bad bytes were still delivered. */
  malformed: [failure: DecodeFailure | { code: 'TRUNCATED_DATAGRAM'; message: string }];
  /** Any other receive error (the socket keeps going). */
  receiveError: [error: Error];
}

export class NetlinkEventSocket extends EventEmitter<NetlinkEventSocketEvents> {
  readonly protocol: number;
  readonly stats: NetlinkEventSocketStats = { messages: 0, resyncs: 0, malformedDatagrams: 0, discardedAfterOverrun: 0 };
  readonly #socket: Socket;

  private constructor(protocol: number, socket: Socket) {
    super();
    this.protocol = protocol;
    this.#socket = socket;
    socket.startReceiving({ maxLength: RECEIVE_LENGTH }, (received) => this.#onDatagram(received.data, received.length), (error) => this.#onReceiveError(error));
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
      // What is still queued predates the loss and the resync makes it moot; and until the
      // queue is empty the kernel would keep dropping new events. So discard it first: every
      // change after the 'resync' event is then delivered.
      readQueueEmpty(this.#socket, () => this.stats.discardedAfterOverrun++);
      this.stats.resyncs++;
      this.emit('resync');
      return;
    }
    if (this.listenerCount('receiveError') > 0) this.emit('receiveError', error);
  }
}
