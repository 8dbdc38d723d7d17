// Loads the N-API addon (native/sockets.c) and gives it types. Nothing else imports the addon.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ControlMessage {
  readonly level: number;
  readonly type: number;
  readonly data: Buffer;
}

export interface ReceivedMessage {
  readonly data: Buffer;
  /** Length the kernel reported; larger than data.length when the datagram was truncated. */
  readonly length: number;
  /** Raw sockaddr bytes of the sender (decode with sys/sockaddr). */
  readonly address: Buffer;
  readonly flags: number;
  readonly control: readonly ControlMessage[];
  /**
   * With SO_TIMESTAMPNS on: how long before recvmsg returned the kernel received the datagram
   * (nanoseconds, from the SCM_TIMESTAMPNS stamp, which also stays in `control`).
   */
  readonly ageNs?: number | undefined;
  /**
   * performance.now() taken as soon as the read returned (Socket.receive): the moment ageNs counts
   * back from, give or take the few microseconds of the return. Later clock reads would add the
   * time spent making this message (tens of µs when that code has been idle a second).
   */
  readonly readAtMs?: number | undefined;
}

export interface Watcher {
  stop(): void;
  unref(): void;
}

export interface NativeSockets {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, sockaddr: Uint8Array): void;
  connect(fd: number, sockaddr: Uint8Array): void;
  setsockopt(fd: number, level: number, name: number, value: number | Uint8Array): void;
  getsockopt(fd: number, level: number, name: number, length: number): Buffer;
  /** Returns bytes sent, or -1 when the socket buffer is full (EAGAIN). */
  sendto(fd: number, data: Uint8Array, sockaddr: Uint8Array | null, flags: number): number;
  /** Returns null when nothing is waiting (EAGAIN). */
  recvmsg(fd: number, maxLength: number, controlLength: number, flags: number): ReceivedMessage | null;
  /**
   * The same receive into the caller's buffers, building no JS value: -1 when nothing is waiting,
   * else the bytes now in `data`. `control` gets the control messages packed (control-messages.ts,
   * at most 4096 bytes), `address` the sender's sockaddr, and meta = [datagram length (the real
   * one with MSG_TRUNC), msg_flags, packed control bytes, address bytes, ageNs or NaN].
   */
  recvmsgInto(fd: number, data: Uint8Array, control: Uint8Array, address: Uint8Array, meta: Float64Array, flags: number): number;
  close(fd: number): void;
  ifNameToIndex(name: string): number;
  setns(fd: number, nstype: number): void;
  watch(fd: number, events: number, callback: (error: Error | null, events: number) => void): Watcher;
  /** From now on `signal` (a number) is sent to these pids (at most 8) inside the handler, before Node sees it. */
  forwardSignal(signal: number, pids: readonly number[]): void;
  /** Blocks the main thread this many nanoseconds (at most 1e9), to within microseconds (minimal timer slack). */
  sleepNs(ns: number): void;
  /** Slot 0..255: this packet goes to `sockaddr` through `fd` from inside the next SIGTERM/SIGINT handler, once. */
  armFarewell(slot: number, fd: number, packet: Uint8Array, sockaddr: Uint8Array | null): void;
  disarmFarewell(slot: number): void;
  /** With a slot: whether its packet was sent; without: whether any farewell was sent. */
  farewellState(slot?: number): boolean;
  /** Where this process's farewell slots are and how they lie, for the supervisor's watchFarewells. */
  farewellTable(): { readonly table: bigint; readonly layout: string };
  /**
   * From now on a TERM/INT to this process first sends the armed farewells of child `pid` (its
   * farewellTable), through the child's own sockets (pidfd_getfd); pid 0 stops. Throws EINVAL for
   * another layout (another build of the addon), ESRCH/ENOSYS from pidfd_open.
   */
  watchFarewells(pid: number, table: bigint, layout: string): void;
  /**
   * Blocks the main thread until `delayNs` (at most 1e9) from now, then sends each [fd, packet,
   * sockaddr] with sendto() unless a datagram waits on `peekFd` (-1: no check). Returns how many
   * sends succeeded (results[i] = 1 for each, when given), or -1 when a datagram was waiting
   * (nothing sent).
   */
  sendAtDeadline(delayNs: number, peekFd: number, sends: readonly PreparedSend[], results?: Uint8Array): number;
}

/** A packet ready to leave: the socket's fd, the bytes, the destination's socket address (null: connected). */
export type PreparedSend = readonly [fd: number, packet: Uint8Array, sockaddr: Uint8Array | null];

function findAddon(): string {
  // Works from src/sys (vitest, tsx) and from dist/sys (compiled).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'native', 'build', 'Release', 'keepalived_ts_native.node');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('native addon not built: run `npm run build:native` (native/build/Release/keepalived_ts_native.node)');
}

let loaded: NativeSockets | undefined;

/** The addon, loaded on first use so that pure modules never need it. */
export function native(): NativeSockets {
  loaded ??= createRequire(import.meta.url)(findAddon()) as NativeSockets;
  return loaded;
}
