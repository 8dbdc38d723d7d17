// Checker fwmark (SO_MARK) and bind_if on the real kernel. The checker's namespace reaches the
// server's 10.79.1.2 only through routing table 100, which `ip rule fwmark 42` selects: a check
// with fwmark 42 gets there, one without it finds no route. bind_if: the server's link-local
// address answers only a check that names the interface. The server echoes UDP from 10.79.1.2
// itself (a connected UDP socket drops replies from any other source).
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHttp } from '../../src/check/http.js';
import { checkTcp } from '../../src/check/tcp.js';
import { checkUdp } from '../../src/check/udp.js';
import type { RealServerTarget } from '../../src/check/types.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';

const SERVER_NS = 'klf-opt-srv';
const signal = new AbortController().signal;
const marked: RealServerTarget = { id: 'marked', address: '10.79.1.2', port: 8080 };
let ns: TestNamespace;
let server: ChildProcess | undefined;

const SERVER = `
const net = require('node:net'); const dgram = require('node:dgram');
net.createServer((c) => c.once('data', () => c.end('HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nup'))).listen(8080, '::', () => {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m, from) => udp.send(m, from.port, from.address));
  udp.bind(9000, '10.79.1.2', () => console.log('ready'));
});`;

beforeAll(async () => {
  execFileSync('/bin/sh', ['-c', `ip netns del ${SERVER_NS} 2>/dev/null; ip netns add ${SERVER_NS}`]);
  ns = enterTestNamespace('klf-opt');
  ns.ip('link', 'add', 'klf-oa', 'type', 'veth', 'peer', 'name', 'klf-ob', 'netns', SERVER_NS);
  ns.ip('addr', 'add', '10.79.0.1/24', 'dev', 'klf-oa');
  ns.ip('addr', 'add', 'fe80::1/64', 'dev', 'klf-oa', 'nodad');
  ns.ip('link', 'set', 'klf-oa', 'up');
  ns.ip('route', 'add', '10.79.1.2/32', 'via', '10.79.0.2', 'table', '100');
  ns.ip('rule', 'add', 'fwmark', '42', 'lookup', '100');
  const sip = (...args: string[]) => execFileSync('ip', ['-n', SERVER_NS, ...args]);
  sip('link', 'set', 'lo', 'up');
  sip('addr', 'add', '10.79.0.2/24', 'dev', 'klf-ob');
  sip('addr', 'add', 'fe80::2/64', 'dev', 'klf-ob', 'nodad');
  sip('addr', 'add', '10.79.1.2/32', 'dev', 'lo');
  sip('link', 'set', 'klf-ob', 'up');
  server = spawn('ip', ['netns', 'exec', SERVER_NS, process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.once('data', () => resolve());
    server!.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  // Both links answer before the first check (a fresh veth takes a moment to pass traffic).
  execFileSync('/bin/sh', ['-c', `for i in $(seq 50); do ping -c1 -W1 -I klf-oa fe80::2 >/dev/null 2>&1 && ping -c1 -W1 10.79.0.2 >/dev/null 2>&1 && exit 0; sleep 0.1; done; exit 1`]);
});

afterAll(() => {
  server?.kill('SIGKILL');
  ns?.dispose();
  execFileSync('/bin/sh', ['-c', `ip netns del ${SERVER_NS} 2>/dev/null || true`]);
});

describe('checker fwmark marks the check socket (policy routing sees it)', () => {
  it('TCP_CHECK: no route without the mark, connected with it', async () => {
    expect(await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000 }, marked, signal)).toMatchObject({ ok: false, reason: expect.stringContaining('ENETUNREACH') });
    expect(await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000, fwmark: 42 }, marked, signal)).toMatchObject({ ok: true });
  });
  it('HTTP_GET with the mark gets its answer', async () => {
    const spec = { kind: 'HTTP_GET', connectTimeoutMs: 1000, urls: [{ path: '/', regex: 'UP', regexFlags: 'i' }] } as const;
    expect((await checkHttp(spec, marked, signal)).ok).toBe(false);
    expect(await checkHttp({ ...spec, fwmark: 42 }, marked, signal)).toMatchObject({ ok: true });
  });
  it('UDP_CHECK with the mark (and bind_port) gets its echo', async () => {
    const target = { ...marked, port: 9000 };
    const spec = { kind: 'UDP_CHECK', connectTimeoutMs: 1000, payload: Buffer.from('0102', 'hex'), requireReply: { pattern: [0, 1, 0, 2] } } as const;
    expect((await checkUdp(spec, target, signal)).ok).toBe(false);
    expect(await checkUdp({ ...spec, fwmark: 42, bindPort: 40999 }, target, signal)).toMatchObject({ ok: true, reason: 'reply of 2 bytes' });
  });
});

describe('bind_if scopes link-local addresses', () => {
  const linkLocal: RealServerTarget = { id: 'll', address: 'fe80::2', port: 8080 };
  it('TCP_CHECK to a link-local real server needs the interface', async () => {
    expect((await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000, bindTo: 'fe80::1' }, linkLocal, signal)).ok).toBe(false);
    expect(await checkTcp({ kind: 'TCP_CHECK', connectTimeoutMs: 1000, bindTo: 'fe80::1', bindInterface: 'klf-oa' }, linkLocal, signal)).toMatchObject({ ok: true });
  });
});
