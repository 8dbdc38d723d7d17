// The scheduler with the real checkers against real servers: retry timing on the wall clock,
// and hung servers that never delay the checks of healthy ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckScheduler, type HealthChange } from '../../src/check/scheduler.js';
import type { CheckResult, CheckTiming, RealServerTarget } from '../../src/check/types.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';
import { startHttpServer, type TestHttpServer } from '../support/servers/http-server.js';

let ns: TestNamespace;
let http: TestHttpServer;
let hung: net.Server;
let hungPort: number;

beforeAll(async () => {
  ns = enterTestNamespace('ktsck-sched');
  http = await startHttpServer({ '/': { body: 'ok' }, '/hang': { body: 'late', delayMs: 60_000 } });
  // Accepts connections and never answers.
  hung = net.createServer(() => undefined);
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  hungPort = (hung.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await http?.close();
  hung?.close();
  ns?.dispose();
});

describe('CheckScheduler with real checkers', () => {
  it('a stopped server goes down after retry + 1 failures, delay_before_retry apart, and comes back on the first success', async () => {
    const changes: (HealthChange & { atMs: number })[] = [];
    const results: { atMs: number; result: CheckResult }[] = [];
    const scheduler = new CheckScheduler({
      onChange: (change) => changes.push({ ...change, atMs: performance.now() }),
      onResult: (_t, _s, result) => results.push({ atMs: performance.now(), result }),
    });
    const routes: Record<string, { status?: number; body?: string }> = { '/': { body: 'ok' } };
    const flappy = await startHttpServer(routes);
    const timing: CheckTiming = { delayLoopMs: 400, retry: 2, delayBeforeRetryMs: 150, warmupMs: 0, alpha: false };
    const target: RealServerTarget = { id: 'web', address: '127.0.0.1', port: flappy.port, weight: 1 };
    scheduler.add({ target, checks: [{ spec: { kind: 'HTTP_GET', urls: [{ path: '/' }], connectTimeoutMs: 300 }, timing }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    (routes as Record<string, { status?: number }>)['/'] = { status: 500 };
    const brokeAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    routes['/'] = { body: 'ok' };
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(scheduler.history('web').length).toBeGreaterThanOrEqual(6);
    scheduler.stop();
    await flappy.close();
    expect(changes.map((c) => c.state)).toEqual(['down', 'up']);
    const failures = results.filter((r) => !r.result.ok && r.atMs > brokeAt);
    // Three failures in a row: the first within delay_loop, then two retries delay_before_retry apart.
    const gaps = failures.slice(0, 3).map((f, i, all) => (i === 0 ? 0 : f.atMs - all[i - 1]!.atMs));
    expect(gaps[1]).toBeGreaterThanOrEqual(145);
    expect(gaps[1]).toBeLessThan(300);
    expect(gaps[2]).toBeGreaterThanOrEqual(145);
    expect(gaps[2]).toBeLessThan(300);
    expect(changes[0]!.atMs - failures[2]!.atMs).toBeLessThan(20);
    expect(changes[0]!.reason).toBe('/: status 500 not in 200-299');
  });

  it('200 hung servers do not delay the checks of a healthy one', async () => {
    const scheduler = new CheckScheduler({ onChange: () => undefined });
    // warmup spreads the first connects as keepalived's default warmup does.
    const timing: CheckTiming = { delayLoopMs: 100, retry: 1, delayBeforeRetryMs: 100, warmupMs: 100, alpha: false };
    for (let i = 0; i < 100; i++) {
      scheduler.add({ target: { id: `hung-tcp-${i}`, address: '127.0.0.1', port: http.port }, checks: [{ spec: { kind: 'HTTP_GET', urls: [{ path: '/hang' }], connectTimeoutMs: 5000 }, timing }] });
      scheduler.add({ target: { id: `hung-http-${i}`, address: '127.0.0.1', port: hungPort }, checks: [{ spec: { kind: 'SMTP_CHECK', connectTimeoutMs: 5000 }, timing }] });
    }
    scheduler.add({ target: { id: 'healthy', address: '127.0.0.1', port: http.port }, checks: [{ spec: { kind: 'TCP_CHECK', connectTimeoutMs: 1000 }, timing }] });
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const healthy = scheduler.history('healthy');
    expect(scheduler.inFlight).toBeGreaterThanOrEqual(200);
    expect(healthy.length).toBeGreaterThanOrEqual(9);
    expect(healthy.every((entry) => entry.ok)).toBe(true);
    // Each healthy check follows the previous one by delay_loop, not by the hung checks' 5 s timeout.
    const gaps = healthy.slice(1).map((entry, i) => entry.atMs - healthy[i]!.atMs);
    expect(Math.max(...gaps)).toBeLessThan(250);
    scheduler.stop();
  });
});

describe('FILE_CHECK in the scheduler', () => {
  it('reacts to a change of the tracked file at once, not at the next delay_loop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktsck-track-'));
    const file = join(dir, 'weight');
    writeFileSync(file, '0\n');
    const changes: (HealthChange & { atMs: number })[] = [];
    const scheduler = new CheckScheduler({ onChange: (change) => changes.push({ ...change, atMs: performance.now() }) });
    const timing: CheckTiming = { delayLoopMs: 60_000, retry: 0, delayBeforeRetryMs: 1000, warmupMs: 0, alpha: false };
    try {
      scheduler.add({ target: { id: 'f', address: '127.0.0.1', port: 80, weight: 1 }, checks: [{ spec: { kind: 'FILE_CHECK', path: file, weight: 0 }, timing }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const writtenAt = performance.now();
      writeFileSync(`${file}.tmp`, '1\n');
      renameSync(`${file}.tmp`, file);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes.map((c) => c.state)).toEqual(['down']);
      expect(changes[0]!.atMs - writtenAt).toBeLessThan(250);
      writeFileSync(file, '0\n');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(changes.map((c) => c.state)).toEqual(['down', 'up']);
    } finally {
      scheduler.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
