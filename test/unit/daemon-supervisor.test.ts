// The process model with real processes: a supervisor, its children, signals and deaths.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextRespawn, DEFAULT_RESPAWN_POLICY } from '../../src/daemon/respawn-policy.js';

const harness = new URL('../support/supervisor-harness.mjs', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let dir: string;
let parent: ChildProcess | undefined;
const events = () => { try { return readFileSync(join(dir, 'events'), 'utf8').trim().split('\n').filter(Boolean); } catch { return []; } };
const started = () => events().filter((l) => l.endsWith(' started')).map((l) => Number(l.split(' ')[0]));

function startSupervisor(roles: string, respawn = 'respawn'): ChildProcess {
  dir = mkdtempSync(join(tmpdir(), 'kts-sup-'));
  parent = spawn(process.execPath, [harness, join(dir, 'events'), roles, respawn], { stdio: ['ignore', 'pipe', 'inherit'] });
  return parent;
}

afterEach(() => {
  if (parent && parent.exitCode === null) parent.kill('SIGKILL');
  for (const pid of started()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('supervisor process model', () => {
  it('restarts a child killed with SIGKILL', async () => {
    startSupervisor('vrrp');
    const [first] = await waitFor('first child', () => (started().length === 1 ? started() : undefined));
    process.kill(first!, 'SIGKILL');
    const pids = await waitFor('restart', () => (started().length === 2 ? started() : undefined));
    expect(pids[1]).not.toBe(first);
    expect(alive(pids[1]!)).toBe(true);
  });

  it('does not restart with -R (no respawn)', async () => {
    startSupervisor('vrrp', 'norespawn');
    const [first] = await waitFor('first child', () => (started().length === 1 ? started() : undefined));
    process.kill(first!, 'SIGKILL');
    await sleep(500);
    expect(started()).toEqual([first]);
  });

  it('forwards HUP to every child and stops them all on TERM', async () => {
    const sup = startSupervisor('vrrp,check');
    const pids = await waitFor('two children', () => (started().length === 2 ? started() : undefined));
    sup.kill('SIGHUP');
    await waitFor('reloads', () => (events().filter((l) => l.endsWith(' reload')).length === 2 ? true : undefined));
    const exited = new Promise<number | null>((r) => sup.once('exit', (code) => r(code)));
    sup.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) {
      expect(events()).toContain(`${pid} stop SIGTERM`);
      expect(alive(pid)).toBe(false);
    }
  });

  it('children stop themselves when the supervisor is killed with SIGKILL', async () => {
    const sup = startSupervisor('vrrp,check');
    const pids = await waitFor('two children', () => (started().length === 2 ? started() : undefined));
    sup.kill('SIGKILL');
    await waitFor('children gone', () => (pids.every((p) => !alive(p)) ? true : undefined));
    for (const pid of pids) expect(events()).toContain(`${pid} stop supervisor exited`);
  });
});

describe('respawn back-off', () => {
  it('doubles the delay for quick deaths and resets after a stable run', () => {
    let state = { failures: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const next = nextRespawn(DEFAULT_RESPAWN_POLICY, state, 100);
      delays.push(next.delayMs);
      state = next.state;
    }
    expect(delays.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(Math.max(...delays)).toBe(DEFAULT_RESPAWN_POLICY.maxDelayMs);
    expect(nextRespawn(DEFAULT_RESPAWN_POLICY, state, 120_000).delayMs).toBe(250);
  });
});
