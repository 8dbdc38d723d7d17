// Socket.receive reads through the addon's recvmsgInto into buffers the socket keeps, and builds
// the message in JavaScript: it must hand back exactly what recvmsg() built through N-API (data,
// sender, flags, control messages, arrival age), for datagrams of every size up to the limit, and
// keep nothing that the next read would overwrite. Loopback UDP only (no namespace needed).
import { afterAll, describe, expect, it } from 'vitest';
import { unpackControlMessages } from '../../src/sys/control-messages.js';
import { native, type ReceivedMessage } from '../../src/sys/native.js';
import { Socket } from '../../src/sys/socket.js';
import { sockaddrIn } from '../../src/sys/sockaddr.js';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 2048;
const SOL_SOCKET = 1;
const SO_TIMESTAMPNS = 35;
const SOL_IP = 0;
const IP_PKTINFO = 8;
const MSG_TRUNC = 0x20;

describe('unpackControlMessages', () => {
  const entry = (level: number, type: number, bytes: number[]) => {
    const header = Buffer.alloc(12);
    header.writeInt32LE(level, 0);
    header.writeInt32LE(type, 4);
    header.writeInt32LE(bytes.length, 8);
    return Buffer.concat([header, Buffer.from(bytes), Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
  };

  it('reads each entry with its payload, past the padding', () => {
    const packed = Buffer.concat([entry(0, 8, [1, 2, 3, 4, 5]), entry(41, 52, [9, 9, 9, 9])]);
    const messages = unpackControlMessages(packed, packed.length);
    expect(messages.map((m) => [m.level, m.type, [...m.data]])).toEqual([[0, 8, [1, 2, 3, 4, 5]], [41, 52, [9, 9, 9, 9]]]);
  });

  it('copies payloads out of the packed buffer, which the next read reuses', () => {
    const packed = entry(0, 2, [7, 7, 7, 7]);
    const [message] = unpackControlMessages(packed, packed.length);
    packed.fill(0);
    expect([...message!.data]).toEqual([7, 7, 7, 7]);
  });

  it('stops at the given length and at an entry that runs past it', () => {
    const packed = Buffer.concat([entry(0, 8, [1, 2, 3, 4]), entry(0, 2, [5, 6, 7, 8])]);
    expect(unpackControlMessages(packed, 16)).toHaveLength(1);
    expect(unpackControlMessages(packed, 20)).toHaveLength(1);
    expect(unpackControlMessages(packed, 0)).toHaveLength(0);
    const lying = entry(0, 8, [1, 2, 3, 4]);
    lying.writeInt32LE(400, 8);
    expect(unpackControlMessages(lying, lying.length)).toEqual([]);
  });
});

describe('Socket.receive', () => {
  const port = 47100 + (process.pid % 500);
  const receiver = Socket.open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)
    .bind(sockaddrIn('127.0.0.1', port))
    .setOption(SOL_SOCKET, SO_TIMESTAMPNS, 1)
    .setOption(SOL_IP, IP_PKTINFO, 1);
  const sender = Socket.open(AF_INET, SOCK_DGRAM, 0).bind(sockaddrIn('127.0.0.1', port + 1));
  afterAll(() => {
    receiver.close();
    sender.close();
  });
  const to = sockaddrIn('127.0.0.1', port);
  const comparable = (m: ReceivedMessage) => ({
    data: [...m.data], length: m.length, address: [...m.address], flags: m.flags,
    control: m.control.filter((c) => !(c.level === SOL_SOCKET && c.type === SO_TIMESTAMPNS)).map((c) => [c.level, c.type, [...c.data]]),
    stamped: m.control.some((c) => c.level === SOL_SOCKET && c.type === SO_TIMESTAMPNS),
    aged: m.ageNs !== undefined && m.ageNs >= 0 && m.ageNs < 5e9,
  });

  it('gives what recvmsg gives, for empty, small and cut-short datagrams', () => {
    for (const size of [0, 1, 60, 1500, 4300]) {
      const payload = Buffer.alloc(size, size % 251);
      const options = { maxLength: 4200, controlLength: 128, flags: MSG_TRUNC };
      sender.send(payload, to);
      sender.send(payload, to);
      const ours = receiver.receive(options)!;
      const theirs = native().recvmsg(receiver.fd, options.maxLength, options.controlLength, options.flags)!;
      expect(comparable(ours)).toEqual(comparable(theirs));
      expect(ours.length).toBe(size);
      expect(ours.data.length).toBe(Math.min(size, 4200));
      expect(comparable(ours).stamped && comparable(ours).aged).toBe(true);
    }
    expect(receiver.receive({ maxLength: 4200, controlLength: 128 })).toBeNull();
  });

  it('keeps each message whole while later reads reuse the socket buffers', () => {
    const messages: ReceivedMessage[] = [];
    for (let i = 0; i < 5; i++) sender.send(Buffer.alloc(32, i), to);
    for (let m = receiver.receive({ maxLength: 4200, controlLength: 128 }); m !== null; m = receiver.receive({ maxLength: 4200, controlLength: 128 })) messages.push(m);
    expect(messages.map((m) => m.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(messages.every((m) => m.data.every((b) => b === m.data[0]))).toBe(true);
  });

  it('reads without control data, and without asking for any', () => {
    sender.send(Buffer.from('x'), to);
    const message = receiver.receive({ maxLength: 16 })!;
    expect(message.control).toEqual([]);
    expect(message.ageNs).toBeUndefined();
    expect(message.data.toString()).toBe('x');
  });
});
