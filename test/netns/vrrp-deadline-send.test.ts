// The addon's sendAtDeadline (native/deadline-send.c), which sends a backup's take-over advert and
// its VIP requests at the master-down deadline: the packets reach the kernel at the deadline, never
// before it (the kernel's receive stamp says when); a datagram waiting on the socket it looks at
// means nothing is sent; each send's outcome is reported. Loopback UDP stands in for the raw VRRP
// and netlink sockets (the addon only calls sendto). Needs the build (native/build).
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../../src/sys/native.js';
import { sockaddrIn } from '../../src/sys/sockaddr.js';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOL_SOCKET = 1;
const SO_TIMESTAMPNS = 35;
const MSG_DONTWAIT = 0x40;

const addon = native();
const opened: number[] = [];
afterAll(() => {
  for (const fd of opened) addon.close(fd);
});

let nextPort = 41_000 + Math.floor(Math.random() * 5000);
/** A UDP socket on 127.0.0.1 (a free port of our own) stamping what it receives; its fd and address. */
function receiver(): { fd: number; sockaddr: Buffer } {
  const fd = addon.socket(AF_INET, SOCK_DGRAM, 0);
  opened.push(fd);
  addon.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
  for (;;) {
    const sockaddr = sockaddrIn('127.0.0.1', nextPort++);
    try {
      addon.bind(fd, sockaddr);
      return { fd, sockaddr };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    }
  }
}

function sender(): number {
  const fd = addon.socket(AF_INET, SOCK_DGRAM, 0);
  opened.push(fd);
  return fd;
}

/** When the kernel received the next datagram on `fd` (performance.now() time), or undefined. */
function arrival(fd: number): { text: string; atMs: number } | undefined {
  const message = addon.recvmsg(fd, 64, 64, MSG_DONTWAIT);
  if (message === null) return undefined;
  return { text: message.data.toString(), atMs: performance.now() - (message.ageNs ?? 0) / 1e6 };
}

describe('sendAtDeadline', () => {
  it('sends at the deadline, not before, to within a fraction of a millisecond', () => {
    const target = receiver();
    const from = sender();
    const lateness: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = performance.now();
      const sent = addon.sendAtDeadline(5e6, -1, [[from, Buffer.from(`advert ${i}`), target.sockaddr]]);
      const returned = performance.now();
      expect(sent).toBe(1);
      expect(returned - before).toBeGreaterThanOrEqual(5);
      const got = arrival(target.fd);
      expect(got?.text).toBe(`advert ${i}`);
      lateness.push(got!.atMs - (before + 5));
    }
    // Never early (the stamp is read a few microseconds after `before`: no tolerance needed)...
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    // ...and on time: a Node timer lands up to a millisecond after; the clock watch does not (one
    // quiet run of five is enough here: a loaded CI host may preempt the others).
    expect(Math.min(...lateness)).toBeLessThan(0.2);
    expect(Math.max(...lateness)).toBeLessThan(20);
  });

  it('sends nothing when a datagram waits on the socket it looks at, and says so', () => {
    const target = receiver();
    const watched = receiver();
    const from = sender();
    addon.sendto(from, Buffer.from('the master is back'), watched.sockaddr, 0);
    const results = new Uint8Array([9, 9]);
    const sent = addon.sendAtDeadline(1e6, watched.fd, [[from, Buffer.from('take-over'), target.sockaddr], [from, Buffer.from('vip'), target.sockaddr]], results);
    expect(sent).toBe(-1);
    expect([...results]).toEqual([0, 0]);
    expect(arrival(target.fd)).toBeUndefined();
    // The waiting datagram is still there for JS to read.
    expect(arrival(watched.fd)?.text).toBe('the master is back');
    // With the socket empty, the same call sends.
    expect(addon.sendAtDeadline(1e6, watched.fd, [[from, Buffer.from('take-over'), target.sockaddr]])).toBe(1);
    expect(arrival(target.fd)?.text).toBe('take-over');
  });

  it('reports each send: one that fails does not stop the next', () => {
    const target = receiver();
    const from = sender();
    const unconnected = sender(); // no address given and none connected: EDESTADDRREQ
    const results = new Uint8Array(3);
    const sent = addon.sendAtDeadline(0, -1, [
      [from, Buffer.from('one'), target.sockaddr],
      [unconnected, Buffer.from('lost'), null],
      [from, Buffer.from('three'), target.sockaddr],
    ], results);
    expect(sent).toBe(2);
    expect([...results]).toEqual([1, 0, 1]);
    expect([arrival(target.fd)?.text, arrival(target.fd)?.text, arrival(target.fd)]).toEqual(['one', 'three', undefined]);
  });

  it('refuses bad arguments with a TypeError before waiting', () => {
    const from = sender();
    expect(() => addon.sendAtDeadline(2e9, -1, [])).toThrow(TypeError);
    expect(() => addon.sendAtDeadline(1e6, -1, [[from, 'text' as unknown as Uint8Array, null]])).toThrow(TypeError);
    expect(() => addon.sendAtDeadline(1e6, -1, [], new Uint8Array(0))).not.toThrow();
    expect(() => addon.sendAtDeadline(1e6, -1, [[from, Buffer.from('x'), null]], new Uint8Array(0))).toThrow(TypeError);
  });
});
