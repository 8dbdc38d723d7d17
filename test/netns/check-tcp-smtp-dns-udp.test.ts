// TCP_CHECK, SMTP_CHECK, DNS_CHECK and UDP_CHECK against real servers in a throwaway namespace,
// plus a silent address on a veth so connects and datagrams go unanswered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { checkTcp } from '../../src/check/tcp.js';
import { checkSmtp, DEFAULT_HELO_NAME } from '../../src/check/smtp.js';
import { checkDns } from '../../src/check/dns.js';
import { checkUdp } from '../../src/check/udp.js';
import { parseHexPattern } from '../../src/check/hex-string.js';
import type { RealServerTarget } from '../../src/check/types.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';
import { startSmtpServer } from '../support/servers/smtp-server.js';
import { startDnsServer } from '../support/servers/dns-server.js';
import { startUdpServer } from '../support/servers/udp-echo.js';

/** On a veth whose peer has no address: nothing ever answers (ARP goes unanswered). */
const SILENT = '10.77.0.2';
const signal = new AbortController().signal;
const at = (server: { host: string; port: number }): RealServerTarget => ({ id: 'rs', address: server.host, port: server.port });
let ns: TestNamespace;
const closers: (() => Promise<void>)[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(() => {
  ns = enterTestNamespace('ktsck-l4');
  ns.ip('link', 'add', 'ktsck-l4a', 'type', 'veth', 'peer', 'name', 'ktsck-l4b');
  ns.ip('addr', 'add', '10.77.0.1/24', 'dev', 'ktsck-l4a');
  ns.ip('link', 'set', 'ktsck-l4a', 'up');
  ns.ip('link', 'set', 'ktsck-l4b', 'up');
});

afterAll(async () => {
  for (const close of closers) await close();
  ns?.dispose();
});

describe('TCP_CHECK', () => {
  it('up when the connection completes, down when refused or unanswered', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    expect(await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000 }, { id: 'a', address: '127.0.0.1', port }, signal)).toMatchObject({ ok: true });
    const refused = await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000 }, { id: 'b', address: '127.0.0.1', port: await freePort() }, signal);
    expect(refused.reason).toMatch(/ECONNREFUSED/);
    const silent = await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 400 }, { id: 'c', address: SILENT, port: 80 }, signal);
    expect(silent).toMatchObject({ ok: false, reason: 'timeout after 400 ms' });
  });

  it('connect_port overrides the real server port', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    expect((await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000, connectPort: port }, { id: 'a', address: '127.0.0.1', port: 1 }, signal)).ok).toBe(true);
  });
});

describe('SMTP_CHECK', () => {
  it('a 220 greeting and an accepted HELO are up; the default HELO name is keepalived\'s', async () => {
    const server = await startSmtpServer({ greeting: '220-mail.test ESMTP\r\n220 ready' });
    closers.push(server.close);
    expect(await checkSmtp({ kind: 'SMTP_CHECK', connectTimeoutMs: 1000 }, at(server), signal)).toMatchObject({ ok: true, reason: 'HELO accepted: 250' });
    await checkSmtp({ kind: 'SMTP_CHECK', connectTimeoutMs: 1000, heloName: 'lb1.example' }, at(server), signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.commands).toEqual([`HELO ${DEFAULT_HELO_NAME}`, 'QUIT', 'HELO lb1.example', 'QUIT']);
  });

  it('a 5xx greeting, a refused HELO and a silent server are down', async () => {
    const refusing = await startSmtpServer({ greeting: '554 no service' });
    const rude = await startSmtpServer({ greeting: '220 ok', heloReply: '501 bad HELO' });
    const silent = await startSmtpServer({ greeting: '', silent: true });
    closers.push(refusing.close, rude.close, silent.close);
    expect((await checkSmtp({ kind: 'SMTP_CHECK', connectTimeoutMs: 1000 }, at(refusing), signal)).reason).toBe('greeting refused: 554 no service');
    expect((await checkSmtp({ kind: 'SMTP_CHECK', connectTimeoutMs: 1000 }, at(rude), signal)).reason).toBe('HELO refused: 501 bad HELO');
    expect((await checkSmtp({ kind: 'SMTP_CHECK', connectTimeoutMs: 300 }, at(silent), signal)).reason).toBe('timeout after 300 ms');
  });
});

describe('DNS_CHECK', () => {
  it('an answer for the name is up; NXDOMAIN, an answer for another name and silence are down', async () => {
    const server = await startDnsServer({ names: ['www.example.test', ''] });
    const liar = await startDnsServer({ names: ['www.example.test'], answerOwner: 'evil.test' });
    const silent = await startDnsServer({ names: [], silent: true });
    closers.push(server.close, liar.close, silent.close);
    const spec = { kind: 'DNS_CHECK', connectTimeoutMs: 500, type: 'A', name: 'www.example.test' } as const;
    expect(await checkDns(spec, at(server), signal)).toMatchObject({ ok: true, reason: '1 answer(s)' });
    expect(await checkDns({ kind: 'DNS_CHECK', connectTimeoutMs: 500 }, at(server), signal)).toMatchObject({ ok: true });
    expect((await checkDns({ ...spec, name: 'nothere.test' }, at(server), signal)).reason).toBe('rcode NXDOMAIN');
    expect((await checkDns(spec, at(liar), signal)).reason).toBe('no answer for www.example.test');
    expect((await checkDns(spec, at(silent), signal)).reason).toBe('timeout after 500 ms');
    expect(silent.queries).toBe(1);
  });
});

describe('UDP_CHECK', () => {
  it('without require_reply: an echo or silence is up, port unreachable is down', async () => {
    const echo = await startUdpServer({ reply: 'echo' });
    const quiet = await startUdpServer({ reply: 'silent' });
    closers.push(echo.close, quiet.close);
    const payload = Buffer.from([0xde, 0xad]);
    expect(await checkUdp({ kind: 'UDP_CHECK', connectTimeoutMs: 500, payload }, at(echo), signal)).toMatchObject({ ok: true, reason: 'reply of 2 bytes' });
    expect(echo.received.at(-1)).toEqual(payload);
    expect(await checkUdp({ kind: 'UDP_CHECK', connectTimeoutMs: 300 }, at(quiet), signal)).toMatchObject({ ok: true, reason: 'no reply and no ICMP error' });
    // The payload keepalived 2.2.7 sends by default (captured in the IPVS guest).
    expect(quiet.received.at(-1)?.toString('hex')).toBe('6b656570616c6976656420636865636b202d206b656570616c69766564206368');
    const closed = await checkUdp({ kind: 'UDP_CHECK', connectTimeoutMs: 500 }, { id: 'x', address: '127.0.0.1', port: await freePort() }, signal);
    expect(closed.reason).toMatch(/ECONNREFUSED/);
  });

  it('with require_reply: silence is down; the reply must match the pattern and length limits', async () => {
    const fixed = await startUdpServer({ reply: Buffer.from([0xab, 0x12, 0x34]) });
    const quiet = await startUdpServer({ reply: 'silent' });
    closers.push(fixed.close, quiet.close);
    const spec = (pattern: string, extra = {}) => ({ kind: 'UDP_CHECK', connectTimeoutMs: 300, requireReply: { pattern: parseHexPattern(pattern)! }, ...extra }) as const;
    expect((await checkUdp(spec('ab 1x'), at(fixed), signal)).ok).toBe(true);
    expect((await checkUdp(spec('ab 2x'), at(fixed), signal)).reason).toBe('reply does not match require_reply');
    expect((await checkUdp(spec('ab', { maxReplyLength: 2 }), at(fixed), signal)).reason).toBe('reply length 3 outside 0..2');
    expect((await checkUdp({ kind: 'UDP_CHECK', connectTimeoutMs: 300, requireReply: {} }, at(quiet), signal)).reason).toBe('no reply within 300 ms');
  });
});
