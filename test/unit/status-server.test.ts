// The status endpoint's HTTP surface on a real loopback socket (port 0): /status as JSON,
// /metrics with the exposition content type, 404 and 405 for anything else, and only loopback
// listen addresses accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListenAddress, StatusServer } from '../../src/daemon/status-server.js';

let server: StatusServer;
beforeAll(async () => {
  server = await StatusServer.start({ host: '127.0.0.1', port: 0 }, {
    status: () => ({ instances: [{ name: 'VI_1' }] }),
    metricsContentType: 'text/plain; version=0.0.4; charset=utf-8',
    metrics: async () => 'x_total 1\n',
  });
});
afterAll(() => server.close());

const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`;

describe('status server', () => {
  it('serves /status and /metrics', async () => {
    const status = await fetch(url('/status'));
    expect(status.headers.get('content-type')).toBe('application/json');
    expect(await status.json()).toEqual({ instances: [{ name: 'VI_1' }] });
    const metrics = await fetch(url('/metrics?x=1'));
    expect(metrics.headers.get('content-type')).toContain('version=0.0.4');
    expect(await metrics.text()).toBe('x_total 1\n');
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/status'), { method: 'POST' })).status).toBe(405);
  });

  it('accepts only loopback listen addresses', () => {
    expect(parseListenAddress('127.0.0.1:9650')).toEqual({ host: '127.0.0.1', port: 9650 });
    expect(parseListenAddress('[::1]:9650')).toEqual({ host: '::1', port: 9650 });
    expect(parseListenAddress('10.0.0.1:9650')).toEqual({ error: '10.0.0.1 is not a loopback address (the status endpoint has no authentication)' });
    expect(parseListenAddress('127.0.0.1')).toHaveProperty('error');
    expect(parseListenAddress('127.0.0.1:70000')).toHaveProperty('error');
  });
});
