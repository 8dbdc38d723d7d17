// HTTP_GET and SSL_GET against real servers on the loopback of a throwaway namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { checkHttp } from '../../src/check/http.js';
import type { HttpCheckSpec, RealServerTarget } from '../../src/check/types.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';
import { startHttpServer, startHttpsServer, type TestHttpServer } from '../support/servers/http-server.js';
import { makeSelfSignedCertificate } from '../support/servers/self-signed.js';

const HELLO_MD5 = '5eb63bbbe01eeed093cb22bb8f5acdc3'; // md5("hello world")
const routes = {
  '/': { body: 'hello world' },
  '/down': { status: 503, body: 'maintenance' },
  '/redirect': { status: 302, body: '' },
  '/slow': { body: 'late', delayMs: 1500 },
  '/chunked': { raw: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n' },
  '/garbage': { raw: 'this is not http\r\n\r\n' },
};

let ns: TestNamespace;
let http: TestHttpServer;
let https: TestHttpServer;
const signal = new AbortController().signal;
const at = (server: { host: string; port: number }): RealServerTarget => ({ id: 'rs', address: server.host, port: server.port });
const get = (urls: HttpCheckSpec['urls'], extra: Partial<HttpCheckSpec> = {}): HttpCheckSpec => ({
  kind: 'HTTP_GET',
  urls,
  connectTimeoutMs: 1000,
  ...extra,
});

beforeAll(async () => {
  ns = enterTestNamespace('ktsck-http');
  ns.ip('addr', 'add', '127.0.0.2/8', 'dev', 'lo');
  http = await startHttpServer(routes);
  https = await startHttpsServer(routes, makeSelfSignedCertificate());
});

afterAll(async () => {
  await http?.close();
  await https?.close();
  ns?.dispose();
});

describe('HTTP_GET', () => {
  it('is up for 2xx with the right digest, sending keepalived\'s request with Host addr:port', async () => {
    const result = await checkHttp(get([{ path: '/', digest: HELLO_MD5 }]), at(http), signal);
    expect(result).toMatchObject({ ok: true, reason: '/: status 200' });
    expect(http.requests.at(-1)).toBe(`GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:${http.port}\r\n\r\n`);
  });

  it('is down for a wrong status, up when status_code lists it', async () => {
    expect((await checkHttp(get([{ path: '/down' }]), at(http), signal)).reason).toBe('/down: status 503 not in 200-299');
    expect((await checkHttp(get([{ path: '/redirect' }]), at(http), signal)).ok).toBe(false);
    const accepted = get([{ path: '/down', statusCodes: [{ from: 200, to: 299 }, { from: 503, to: 503 }] }]);
    expect((await checkHttp(accepted, at(http), signal)).ok).toBe(true);
  });

  it('is down for a wrong digest, and hashes chunked bodies raw as keepalived does', async () => {
    expect((await checkHttp(get([{ path: '/', digest: '0'.repeat(32) }]), at(http), signal)).reason).toMatch(/digest 5eb63bbb/);
    // md5("2\r\nhi\r\n0\r\n\r\n"), the value keepalived 2.2.7's genhash prints for this response.
    expect((await checkHttp(get([{ path: '/chunked', digest: '2479c6913f692d0376792ea95b92b42b' }]), at(http), signal)).ok).toBe(true);
  });

  it('every url must pass', async () => {
    const result = await checkHttp(get([{ path: '/' }, { path: '/down' }, { path: '/' }]), at(http), signal);
    expect(result).toMatchObject({ ok: false, reason: '/down: status 503 not in 200-299' });
  });

  it('a slow response is down at connect_timeout, not later', async () => {
    const result = await checkHttp(get([{ path: '/slow' }], { connectTimeoutMs: 300 }), at(http), signal);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('timeout after 300 ms');
    expect(result.latencyMs).toBeGreaterThanOrEqual(295);
    expect(result.latencyMs).toBeLessThan(600);
    expect((await checkHttp(get([{ path: '/slow' }], { connectTimeoutMs: 3000 }), at(http), signal)).ok).toBe(true);
  });

  it('connection refused and a non-HTTP answer are down', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await checkHttp(get([{ path: '/' }]), { id: 'x', address: '127.0.0.1', port }, signal)).reason).toMatch(/ECONNREFUSED/);
    expect((await checkHttp(get([{ path: '/garbage' }]), at(http), signal)).reason).toMatch(/bad status line/);
  });

  it('virtualhost sets Host (url over checker); connect_ip/connect_port and bindto choose the endpoints', async () => {
    await checkHttp(get([{ path: '/', virtualhost: 'url.example' }], { virtualhost: 'checker.example' }), at(http), signal);
    expect(http.requests.at(-1)).toContain('\r\nHost: url.example\r\n');
    await checkHttp(get([{ path: '/' }], { virtualhost: 'checker.example', httpProtocol: '1.1' }), at(http), signal);
    expect(http.requests.at(-1)).toMatch(/^GET \/ HTTP\/1\.1\r\n.*Connection: close\r\nHost: checker\.example\r\n/s);
    const redirected = get([{ path: '/' }], { connectIp: '127.0.0.1', connectPort: http.port, bindTo: '127.0.0.2' });
    expect((await checkHttp(redirected, { id: 'x', address: '192.0.2.99', port: 1 }, signal)).ok).toBe(true);
    expect(http.peers.at(-1)).toBe('127.0.0.2');
  });

  it('an aborted check ends at once as down', async () => {
    const controller = new AbortController();
    const pending = checkHttp(get([{ path: '/slow' }], { connectTimeoutMs: 5000 }), at(http), controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, reason: 'aborted' });
  });
});

describe('SSL_GET', () => {
  const ssl = (urls: HttpCheckSpec['urls'], extra: Partial<HttpCheckSpec> = {}): HttpCheckSpec => ({ ...get(urls, extra), kind: 'SSL_GET' });

  it('accepts a self-signed certificate (keepalived does not verify) and checks the digest', async () => {
    expect((await checkHttp(ssl([{ path: '/', digest: HELLO_MD5 }]), at(https), signal)).ok).toBe(true);
    expect((await checkHttp(ssl([{ path: '/down' }]), at(https), signal)).ok).toBe(false);
  });

  it('sends SNI only with enable_sni (sni_name, else virtualhost)', async () => {
    await checkHttp(ssl([{ path: '/' }], { virtualhost: 'www.example' }), at(https), signal);
    expect(https.serverNames.at(-1)).toBe(false);
    await checkHttp(ssl([{ path: '/' }], { virtualhost: 'www.example', enableSni: true }), at(https), signal);
    expect(https.serverNames.at(-1)).toBe('www.example');
    await checkHttp(ssl([{ path: '/' }], { virtualhost: 'www.example', enableSni: true, sniName: 'sni.example' }), at(https), signal);
    expect(https.serverNames.at(-1)).toBe('sni.example');
  });

  it('is down against a plain HTTP server', async () => {
    expect((await checkHttp(ssl([{ path: '/' }]), at(http), signal)).ok).toBe(false);
  });
});
