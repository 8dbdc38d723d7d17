// genhash (`keepalived-ts -T` and `keepalived-ts genhash`) against real HTTP and HTTPS servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { genhash } from '../../src/cli/genhash.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';
import { startHttpServer, startHttpsServer, type TestHttpServer } from '../support/servers/http-server.js';
import { makeSelfSignedCertificate } from '../support/servers/self-signed.js';

const BIN = fileURLToPath(new URL('../../bin/keepalived-ts', import.meta.url));
const routes = { '/index.html': { body: 'hello world' }, '/slow': { body: 'x', delayMs: 5000 } };
let ns: TestNamespace;
let http: TestHttpServer;
let https: TestHttpServer;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await genhash({ options: {}, args, stdout, stderr });
  return { code, out, err };
}

beforeAll(async () => {
  ns = enterTestNamespace('ktsck-genhash');
  http = await startHttpServer(routes);
  https = await startHttpsServer(routes, makeSelfSignedCertificate());
});

afterAll(async () => {
  await http?.close();
  await https?.close();
  ns?.dispose();
});

describe('genhash', () => {
  it('prints the MD5 of the body, as keepalived 2.2.7 does, over HTTP and HTTPS', async () => {
    expect(await run(['-s', '127.0.0.1', '-p', String(http.port), '-u', '/index.html'])).toEqual({ code: 0, out: '5eb63bbbe01eeed093cb22bb8f5acdc3\n', err: '' });
    expect((await run(['-S', '-s', '127.0.0.1', '-p', String(https.port), '-u', '/index.html'])).out).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3\n');
  });

  it('sends -V as Host, -P as the protocol and -I as SNI', async () => {
    await run(['--server', '127.0.0.1', '--port', String(http.port), '--url', '/index.html', '-V', 'www.test', '-P', '1.0c']);
    expect(http.requests.at(-1)).toBe('GET /index.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.test\r\n\r\n');
    await run(['-S', '-I', '-V', 'sni.test', '-s', '127.0.0.1', '-p', String(https.port), '-u', '/index.html']);
    expect(https.serverNames.at(-1)).toBe('sni.test');
  });

  it('-v shows the header, body and hash dumps and the response time', async () => {
    const { out } = await run(['-v', '-s', '127.0.0.1', '-p', String(http.port), '-u', '/index.html']);
    expect(out).toContain('0000  68 65 6c 6c 6f 20 77 6f - 72 6c 64                  hello world     \n');
    expect(out).toMatch(/\[ HTML hash final resulting \]-+\n5eb63bbbe01eeed093cb22bb8f5acdc3\n\nGlobal response time for \[\/index\.html\] = \d+ usecs\n$/);
  });

  it('reports failures as keepalived does (exit 0) and usage errors on stderr (exit 1)', async () => {
    const closedPort = String(http.port === 65535 ? 1 : http.port + 1);
    expect(await run(['-s', '127.0.0.1', '-p', closedPort, '-u', '/'])).toMatchObject({ code: 0, out: 'Connection failed\n' });
    expect(await run(['-s', '127.0.0.1', '-p', String(http.port), '-u', '/slow', '-t', '0.3'])).toMatchObject({ code: 0, out: 'Timeout WEB read\n' });
    const usage = await run(['-p', '80', '-u', '/']);
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/^Usage: /);
  });

  it('keepalived-ts -T and keepalived-ts genhash reach it from the command line', async () => {
    for (const first of [['-T'], ['genhash']]) {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(BIN, [...first, '-s', '127.0.0.1', '-p', String(http.port), '-u', '/index.html'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
      expect(out).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3\n');
    }
  });
});
