// NetlinkSocket's request machinery against a scripted peer: a second netlink socket on
// NETLINK_USERSOCK that answers (or not) the way each test needs. Real sockets, real kernel
// delivery; only the answering side is ours.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AF_NETLINK, SOCK_RAW } from '../../src/sys/constants.js';
import { decodeSockaddr, sockaddrNl } from '../../src/sys/sockaddr.js';
import { Socket } from '../../src/sys/socket.js';
import { encodeAttribute } from '../../src/netlink/attributes.js';
import { NetlinkError, NetlinkProtocolError, NetlinkTimeoutError } from '../../src/netlink/errors.js';
import { decodeMessages, encodeMessage, NLM_F, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, type NetlinkMessage } from '../../src/netlink/message.js';
import { NETLINK_ROUTE, NetlinkSocket } from '../../src/netlink/socket.js';
import { getLink, interfaceInfoHeader, RTM } from '../../src/netlink/route/index.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace } from '../support/netns.js';

const PREFIX = 'ktsnl';
const NETLINK_USERSOCK = 2;
const PEER_PORT = 0x7e000000 + (process.pid & 0xffff);
let ns: string;

interface Received {
  readonly message: NetlinkMessage;
  readonly from: number;
}

/** The scripted other end: hands each request to `answer`, which replies with `send`. */
class Peer {
  readonly requests: Received[] = [];
  answer: (request: Received, peer: Peer) => void = () => {};
  readonly #socket: Socket;

  constructor() {
    this.#socket = inNamespace(ns, () => Socket.open(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK).bind(sockaddrNl(PEER_PORT)));
    this.#socket.startReceiving({ maxLength: 65536 }, (datagram) => {
      const address = decodeSockaddr(datagram.address);
      const from = address.family === 'netlink' ? address.pid : 0;
      for (const message of decodeMessages(datagram.data).messages) {
        const request = { message, from };
        this.requests.push(request);
        this.answer(request, this);
      }
    }, () => {});
  }

  send(to: number, ...messages: Buffer[]): void {
    this.#socket.send(Buffer.concat(messages), sockaddrNl(to));
  }

  /** NLMSG_ERROR answering `request`: errno 0 is an ACK; `tlvs` are extended-ACK attributes. */
  static ack(request: NetlinkMessage, errno = 0, tlvs: Buffer = Buffer.alloc(0)): Buffer {
    const payload = Buffer.alloc(4 + NLMSG_HDRLEN);
    payload.writeInt32LE(-errno, 0);
    encodeMessage({ type: request.type, flags: request.flags, seq: request.seq }).copy(payload, 4, 0, NLMSG_HDRLEN);
    payload.writeUInt32LE(NLMSG_HDRLEN + request.payload.length, 4);
    const flags = NLM_F.CAPPED | (tlvs.length ? NLM_F.ACK_TLVS : 0);
    return encodeMessage({ type: NLMSG_ERROR, flags, seq: request.seq, payload: Buffer.concat([payload, tlvs]) });
  }

  static reply(request: NetlinkMessage, payload: Buffer, flags = 0): Buffer {
    return encodeMessage({ type: 0x20, flags, seq: request.seq, payload });
  }

  static done(request: NetlinkMessage, flags = NLM_F.MULTI): Buffer {
    return encodeMessage({ type: NLMSG_DONE, flags, seq: request.seq, payload: Buffer.alloc(4) });
  }

  close(): void {
    this.#socket.close();
  }
}

let peer: Peer;
let client: NetlinkSocket;

function open(options: { timeoutMs?: number; maxInFlight?: number } = {}): NetlinkSocket {
  return inNamespace(ns, () => NetlinkSocket.open(NETLINK_USERSOCK, { peerPortId: PEER_PORT, ...options }));
}

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
});

afterEach(() => {
  client?.close();
  peer?.close();
});

afterAll(() => disposeNamespaces());

describe('NetlinkSocket requests', () => {
  it('resolves with the replies before the ACK, matched by sequence number, REQUEST|ACK set', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => p.send(from, Peer.reply(message, Buffer.from('hi')), Peer.ack(message));
    client = open();
    const replies = await client.request({ type: 0x20, payload: Buffer.from('q') });
    expect(replies.map((reply) => reply.payload.toString())).toEqual(['hi']);
    expect(peer.requests[0]!.message.flags & (NLM_F.REQUEST | NLM_F.ACK)).toBe(NLM_F.REQUEST | NLM_F.ACK);
  });

  it('keeps hundreds of requests in flight and matches replies that come back in any order', async () => {
    peer = new Peer();
    const held: Received[] = [];
    peer.answer = (request, p) => {
      held.push(request);
      if (held.length < 64) return;
      // Answer a batch in reverse order.
      for (const { message, from } of held.reverse()) p.send(from, Peer.reply(message, message.payload), Peer.ack(message));
      held.length = 0;
    };
    client = open({ maxInFlight: 64 });
    const results = await Promise.all(Array.from({ length: 640 }, (_, i) => client.request({ type: 0x20, payload: Buffer.from(`r${i}`) })));
    expect(results.map((replies) => replies[0]!.payload.toString())).toEqual(Array.from({ length: 640 }, (_, i) => `r${i}`));
    expect(client.outstanding).toBe(0);
    expect(new Set(peer.requests.map((r) => r.message.seq)).size).toBe(640);
  });

  it('collects a multipart dump until NLMSG_DONE', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) =>
      p.send(from, ...['a', 'b', 'c'].map((text) => Peer.reply(message, Buffer.from(text), NLM_F.MULTI)), Peer.done(message));
    client = open();
    const replies = await client.request({ type: 0x20, flags: NLM_F.DUMP });
    expect(replies.map((reply) => reply.payload.toString())).toEqual(['a', 'b', 'c']);
  });

  it('runs one dump at a time: the second is sent only after the first is done', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => setTimeout(() => p.send(from, Peer.done(message)), 20);
    client = open();
    await Promise.all([client.request({ type: 0x20, flags: NLM_F.DUMP }), client.request({ type: 0x21, flags: NLM_F.DUMP }), client.request({ type: 0x22 }).catch(() => undefined)]);
    const order = peer.requests.map((r) => r.message.type);
    expect(order.indexOf(0x22)).toBe(1); // the plain request did not wait for the dumps
    expect(order.indexOf(0x21)).toBe(2);
  });

  it('restarts a dump the peer marks NLM_F_DUMP_INTR', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => {
      const first = peer.requests.length === 1;
      p.send(from, Peer.reply(message, Buffer.from(first ? 'stale' : 'fresh'), NLM_F.MULTI | (first ? NLM_F.DUMP_INTR : 0)), Peer.done(message));
    };
    client = open();
    const replies = await client.request({ type: 0x20, flags: NLM_F.DUMP });
    expect(replies.map((reply) => reply.payload.toString())).toEqual(['fresh']);
    expect(peer.requests).toHaveLength(2);
  });

  it('rejects with errno, code, operation and the extended-ACK text', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) =>
      p.send(from, Peer.ack(message, 17, Buffer.concat([encodeAttribute(1, Buffer.from('already there\0')), encodeAttribute(2, Buffer.from([20, 0, 0, 0]))])));
    client = open();
    const error = await client.request({ type: 0x20, operation: 'ADD thing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ errno: 17, code: 'EEXIST', operation: 'ADD thing', extendedMessage: 'already there', extendedOffset: 20 });
    expect((error as Error).message).toBe('ADD thing: EEXIST: already there');
  });

  it('times out a request nobody answers, and counts the late answer as unmatched', async () => {
    peer = new Peer();
    let late: (() => void) | undefined;
    peer.answer = ({ message, from }, p) => (late = () => p.send(from, Peer.ack(message)));
    client = open({ timeoutMs: 80 });
    const started = performance.now();
    const error = await client.request({ type: 0x20, operation: 'SLOW' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkTimeoutError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', errno: 110 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(client.outstanding).toBe(0);
    late?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(client.stats.unmatchedReplies).toBe(1);
  });

  it('each request keeps its own timeout: a later, shorter one fails first; answered ones do not', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => {
      if (message.type === 0x32) setTimeout(() => p.send(from, Peer.ack(message)), 100);
    };
    client = open();
    const started = performance.now();
    const settled = (promise: Promise<unknown>) => promise.then(() => ['ok', performance.now() - started] as const, (e: NetlinkError) => [e.code, performance.now() - started] as const);
    const long = settled(client.request({ type: 0x30, timeoutMs: 300 }));
    const short = settled(client.request({ type: 0x31, timeoutMs: 50 }));
    const answered = settled(client.request({ type: 0x32, timeoutMs: 300 }));
    const [[shortCode, shortMs], [answeredCode], [longCode, longMs]] = await Promise.all([short, answered, long]);
    expect([shortCode, answeredCode, longCode]).toEqual(['ETIMEDOUT', 'ok', 'ETIMEDOUT']);
    expect(shortMs).toBeGreaterThanOrEqual(45);
    expect(shortMs).toBeLessThan(250);
    expect(longMs).toBeGreaterThanOrEqual(295);
  });

  it('a malformed ACK is a NetlinkProtocolError, not an exception in the receive loop', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => p.send(from, encodeMessage({ type: NLMSG_ERROR, flags: 0, seq: message.seq, payload: Buffer.from([1, 2]) }));
    client = open();
    const error = await client.request({ type: 0x20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkProtocolError);
    expect(error).toMatchObject({ code: 'EPROTO', failure: { code: 'TRUNCATED' } });
  });

  it('garbage datagrams are counted and the socket keeps working', async () => {
    peer = new Peer();
    peer.answer = ({ message, from }, p) => {
      p.send(from, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
      p.send(from, Peer.ack(message));
    };
    client = open();
    await expect(client.request({ type: 0x20 })).resolves.toEqual([]);
    expect(client.stats.malformedDatagrams).toBe(1);
  });

  it('a peer that is not there fails every queued request with ECONNREFUSED, however long the queue', async () => {
    client = inNamespace(ns, () => NetlinkSocket.open(NETLINK_USERSOCK, { peerPortId: PEER_PORT + 1, maxInFlight: 1 }));
    const results = await Promise.allSettled(Array.from({ length: 20_000 }, () => client.request({ type: 0x20 })));
    expect(results.every((result) => result.status === 'rejected' && (result.reason as NetlinkError).code === 'ECONNREFUSED')).toBe(true);
    expect(client.outstanding).toBe(0);
  });

  it('an overrun of its own queue fails the requests in flight with ENOBUFS at once, and the socket goes on working', async () => {
    client = inNamespace(ns, () => NetlinkSocket.open(NETLINK_ROUTE, { receiveBufferBytes: 4096, maxInFlight: 500, timeoutMs: 5000 }));
    const started = performance.now();
    // 500 RTM_GETLINK lo, all sent in one tick: their answers cannot all fit in the queue.
    const lo = interfaceInfoHeader.encode({ index: 1 });
    const results = await Promise.allSettled(Array.from({ length: 500 }, () => client.request({ type: RTM.GETLINK, payload: lo })));
    const codes = new Set(results.map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as NetlinkError).code)));
    expect(codes.has('ENOBUFS')).toBe(true);
    expect(codes.has('ETIMEDOUT')).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(getLink(client, 'lo')).resolves.toMatchObject({ index: 1, name: 'lo' });
  });

  it('close() fails whatever is still waiting with ECANCELED', async () => {
    peer = new Peer();
    client = open();
    const waiting = client.request({ type: 0x20 });
    client.close();
    await expect(waiting).rejects.toMatchObject({ code: 'ECANCELED' });
    await expect(client.request({ type: 0x20 })).rejects.toMatchObject({ code: 'EBADF' });
  });
});
