// The first-start handoff with real processes: the parent's parsed config reaches the first VRRP
// child over IPC (also when the child was forked before the config was known), respawns start
// plain, and an early child the parent does not need is discarded.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/common/logger.js';
import { EarlyChild, Supervisor } from '../../src/daemon/supervisor.js';
import { CONFIG_FROM_PARENT } from '../../src/daemon/vrrp-config-handoff.js';

const child = new URL('../support/first-start-child.mjs', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

let dir: string;
let supervisor: Supervisor | undefined;
const lines = () => { try { return readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').filter(Boolean); } catch { return []; } };

async function waitForLines(count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (lines().length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} log lines, have ${JSON.stringify(lines())}`);
    await sleep(20);
  }
  return lines();
}

function spec(): { role: string; modulePath: string; args: string[]; firstStart: { args: string[]; message: unknown } } {
  return { role: 'vrrp', modulePath: child, args: [join(dir, 'log')], firstStart: { args: [CONFIG_FROM_PARENT], message: { config: { answer: 42 } } } };
}

afterEach(async () => {
  await supervisor?.stop();
  supervisor = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('first-start handoff', () => {
  it('gives the first child the message and starts a respawned one plain', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvp-first-'));
    supervisor = new Supervisor({ children: [spec()], respawn: true, logger: silentLogger(), policy: { initialDelayMs: 50, maxDelayMs: 400, stableAfterMs: 10_000 } });
    supervisor.start();
    const [first] = await waitForLines(1);
    expect(first).toMatch(/^\d+ got \{"config":\{"answer":42\}\}$/);
    process.kill(Number(first!.split(' ')[0]), 'SIGKILL');
    const [, second] = await waitForLines(2);
    expect(second).toMatch(/^\d+ plain$/);
  });

  it('adopts a child forked before the message was known and answers its early request', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvp-first-'));
    const early = new EarlyChild(child, [join(dir, 'log'), CONFIG_FROM_PARENT]);
    await sleep(300); // the child asks long before the parent has its config
    expect(lines()).toEqual([]);
    supervisor = new Supervisor({ children: [spec()], respawn: false, logger: silentLogger(), earlyChildren: new Map([['vrrp', early]]) });
    supervisor.start();
    const [line] = await waitForLines(1);
    expect(line).toBe(`${early.process.pid} got {"config":{"answer":42}}`);
    expect(supervisor.pids()['vrrp']).toBe(early.process.pid);
  });

  it('discards an early child the parent does not need', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvp-first-'));
    const early = new EarlyChild(child, [join(dir, 'log'), CONFIG_FROM_PARENT]);
    const pid = early.process.pid!;
    const exited = new Promise((resolve) => early.process.once('exit', resolve));
    early.discard();
    await exited;
    expect(alive(pid)).toBe(false);
    expect(lines()).toEqual([]);
  });
});
