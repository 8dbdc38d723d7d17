// Real scripts through ScriptRunner and ScriptTracker (root: scripts run as `nobody`): exit codes
// and signals, timeouts that kill the whole process group, concurrency bounds, an event loop that
// keeps turning, script security on real files, and rise/fall over real runs.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptRunner } from '../../src/common/script-runner.js';
import { prepareScript, type ScriptContext } from '../../src/common/script-prepare.js';
import { inspectScript } from '../../src/common/script-security.js';
import { readAccounts } from '../../src/common/script-user.js';
import { ScriptTracker } from '../../src/vrrp/trackers/script-tracker.js';
import type { TrackerState } from '../../src/vrrp/trackers/tracker.js';

const NOBODY = { uid: 65534, gid: 65534 };
let dir: string;

/** A root-owned 0755 script in a root-owned 0755 directory under /run (safe for root). */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Running, not a zombie (orphans are reparented to this machine's init, which reaps them late). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  dir = mkdtempSync('/run/ktsvt-scripts-');
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'out'));
  chmodSync(join(dir, 'out'), 0o1777);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ScriptRunner', () => {
  const runner = new ScriptRunner({ killGraceMs: 300 });

  it('reports the exit code, a killing signal, and a script that cannot start', async () => {
    expect(await runner.run({ argv: [script('exit3.sh', 'exit 3')] })).toMatchObject({ kind: 'exited', code: 3 });
    expect(await runner.run({ argv: [script('ok.sh', 'exit 0')] })).toMatchObject({ kind: 'exited', code: 0 });
    expect(await runner.run({ argv: [script('usr1.sh', 'kill -USR1 $$; sleep 1')] })).toMatchObject({ kind: 'signalled', signal: 'SIGUSR1' });
    expect(await runner.run({ argv: [join(dir, 'missing.sh')] })).toMatchObject({ kind: 'spawnFailed', code: 'ENOENT' });
  });

  it('passes the arguments unchanged, without a shell', async () => {
    const out = join(dir, 'out', 'args');
    const path = script('args.sh', `for a in "$@"; do printf '[%s]' "$a"; done > ${out}`);
    await runner.run({ argv: [path, 'a b', '$HOME', '*', ''] });
    expect(readFileSync(out, 'utf8')).toBe('[a b][$HOME][*][]');
  });

  it('runs as the given user and group, in its own process group', async () => {
    const out = join(dir, 'out', 'id');
    const path = script('id.sh', `echo "$(id -u) $(id -g) $(id -G) $(ps -o pgid= -p $$ | tr -d ' ') $$" > ${out}`);
    expect(await runner.run({ argv: [path], ...NOBODY })).toMatchObject({ kind: 'exited', code: 0 });
    const [uid, gid, groups, pgid, pid] = readFileSync(out, 'utf8').trim().split(' ');
    expect([uid, gid, groups]).toEqual(['65534', '65534', '65534']);
    expect(pgid).toBe(pid);
  });

  it('on timeout terminates the whole process group, children included', async () => {
    const pidFile = join(dir, 'out', 'child');
    const path = script('hang.sh', `sleep 1000 & echo $! > ${pidFile}; wait`);
    const run = runner.start({ argv: [path], timeoutMs: 300 });
    const outcome = await run.outcome;
    expect(outcome.kind).toBe('timedOut');
    expect(outcome.kind === 'timedOut' && outcome.durationMs).toBeGreaterThanOrEqual(290);
    await run.exited;
    const child = Number(readFileSync(pidFile, 'utf8'));
    await sleep(50);
    expect(alive(child)).toBe(false);
  });

  it('kills a group that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const pidFile = join(dir, 'out', 'stubborn');
    const path = script('stubborn.sh', `trap '' TERM; sleep 1000 & echo $! > ${pidFile}; while :; do sleep 0.05; done`);
    const started = performance.now();
    const run = runner.start({ argv: [path], timeoutMs: 200 });
    expect((await run.outcome).kind).toBe('timedOut');
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(child)).toBe(true);
    await run.exited;
    const gone = performance.now() - started;
    expect(gone).toBeGreaterThanOrEqual(450);
    await sleep(50);
    expect(alive(child)).toBe(false);
  });

  it('killAll signals every running script group (daemon shutdown)', async () => {
    const path = script('long.sh', 'sleep 1000');
    const runs = [runner.start({ argv: [path] }), runner.start({ argv: [path] })];
    await sleep(100);
    runner.killAll('SIGTERM');
    const outcomes = await Promise.all(runs.map((r) => r.outcome));
    expect(outcomes.map((o) => o.kind)).toEqual(['signalled', 'signalled']);
  });

  it('kill() stops a running script group, and a queued script never starts', async () => {
    const single = new ScriptRunner({ maxConcurrent: 1 });
    const marker = join(dir, 'out', 'queued-ran');
    const running = single.start({ argv: [script('forever.sh', 'sleep 1000')] });
    const queued = single.start({ argv: [script('queued.sh', `touch ${marker}`)] });
    queued.kill();
    await sleep(100);
    running.kill('SIGTERM');
    expect(await running.outcome).toMatchObject({ kind: 'signalled', signal: 'SIGTERM' });
    expect(await queued.outcome).toMatchObject({ kind: 'signalled', signal: 'SIGTERM' });
    await queued.exited;
    expect(existsSync(marker)).toBe(false);
    expect(single.stats).toMatchObject({ running: 0, queued: 0, started: 1 });
  });

  it('runs at most maxConcurrent scripts at once, the rest in order, without blocking the loop', async () => {
    const bounded = new ScriptRunner({ maxConcurrent: 2 });
    const path = script('nap.sh', 'sleep 0.3');
    let maxRunning = 0;
    let maxGap = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      maxRunning = Math.max(maxRunning, bounded.stats.running);
    }, 5);
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => bounded.run({ argv: [path] })));
    clearInterval(probe);
    expect(outcomes.every((o) => o.kind === 'exited' && o.code === 0)).toBe(true);
    expect(maxRunning).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(880);
    expect(maxGap).toBeLessThan(200);
    expect(bounded.stats).toMatchObject({ running: 0, queued: 0, started: 6 });
  });
});

describe('inspectScript on real files', () => {
  it('accepts a root-owned script and refuses it once others can write it or a non-root user owns it', async () => {
    const path = script('sec.sh', 'exit 0');
    expect(await inspectScript(path, { uid: 0, gid: 0 })).toEqual({ ok: true });
    chmodSync(path, 0o757);
    expect(await inspectScript(path, { uid: 0, gid: 0 })).toMatchObject({ ok: false, reason: 'unsafe' });
    chmodSync(path, 0o755);
    chownSync(path, 65534, 65534);
    expect(await inspectScript(path, { uid: 0, gid: 0 })).toMatchObject({ ok: false, reason: 'unsafe' });
    expect(await inspectScript(path, NOBODY)).toEqual({ ok: true });
    expect(await inspectScript(join(dir, 'nothing.sh'), NOBODY)).toMatchObject({ ok: false, reason: 'notFound' });
  });
});

describe('ScriptTracker with a real script', () => {
  it('goes down after `fall` failures and up after `rise` successes', async () => {
    const codeFile = join(dir, 'out', 'code');
    writeFileSync(codeFile, '0');
    const path = script('coded.sh', `exit $(cat ${codeFile})`);
    const tracker = new ScriptTracker({ name: 'chk', argv: [path], intervalMs: 100, rise: 2, fall: 3, initFail: false, runner: new ScriptRunner(), identity: NOBODY });
    const changes: { state: TrackerState; at: number }[] = [];
    const runs: number[] = [];
    tracker.on('result', () => runs.push(performance.now()));
    tracker.on('change', (state) => changes.push({ state, at: runs.length }));
    tracker.start();
    try {
      await sleep(350);
      expect(changes).toEqual([]);
      writeFileSync(codeFile, '1');
      const failingFrom = runs.length;
      while (changes.length < 1) await sleep(20);
      expect(changes[0]!.state).toEqual({ name: 'chk', up: false });
      expect(changes[0]!.at - failingFrom).toBeGreaterThanOrEqual(3);
      writeFileSync(codeFile, '0');
      const passingFrom = runs.length;
      while (changes.length < 2) await sleep(20);
      expect(changes[1]!.state).toEqual({ name: 'chk', up: true });
      expect(changes[1]!.at - passingFrom).toBeGreaterThanOrEqual(2);
      expect(changes[1]!.at - passingFrom).toBeLessThanOrEqual(3);
    } finally {
      tracker.stop();
    }
  });

  it('counts a timeout as a failure and skips runs while the killed script lingers', async () => {
    const path = script('slow.sh', "trap '' TERM; sleep 2");
    const tracker = new ScriptTracker({ name: 'slow', argv: [path], intervalMs: 150, timeoutMs: 100, rise: 1, fall: 1, initFail: false, runner: new ScriptRunner({ killGraceMs: 400 }) });
    const outcomes: string[] = [];
    let skipped = 0;
    tracker.on('result', (o) => outcomes.push(o.kind));
    tracker.on('skipped', () => skipped++);
    const down = new Promise<TrackerState>((resolve) => tracker.on('change', resolve));
    tracker.start();
    try {
      expect(await down).toEqual({ name: 'slow', up: false });
      expect(outcomes[0]).toBe('timedOut');
      await sleep(400);
      expect(skipped).toBeGreaterThanOrEqual(1);
    } finally {
      tracker.stop();
    }
  });
});

describe('prepareScript on real files and accounts', () => {
  const context = (over: Partial<ScriptContext> = {}): ScriptContext => ({ accounts: readAccounts(), enableScriptSecurity: true, scriptUser: { user: 'nobody' }, self: { user: 'root', uid: 0, gid: 0 }, ...over });

  it('decodes, splits, resolves the user and keeps a safe script', async () => {
    const path = script('prep.sh', 'exit 0');
    const prepared = await prepareScript({ command: `${path} 'a b' c\\\\ d` }, context());
    expect(prepared).toEqual({ ok: true, argv: [path, 'a b', 'c d'], identity: { user: 'nobody', uid: 65534, gid: 65534 }, warnings: [] });
    expect(await prepareScript({ command: 'true' }, context())).toMatchObject({ ok: true, argv: [expect.stringMatching(/\/true$/)] });
  });

  it('refuses an unsafe root script only with enable_script_security, and unknown users', async () => {
    const path = script('prep-unsafe.sh', 'exit 0');
    chmodSync(path, 0o757);
    expect(await prepareScript({ command: path, user: 'root' }, context())).toMatchObject({ ok: false, message: expect.stringMatching(/unsafe/) });
    const relaxed = await prepareScript({ command: path, user: 'root' }, context({ enableScriptSecurity: false }));
    expect(relaxed).toMatchObject({ ok: true, warnings: [expect.stringMatching(/writable by others/)] });
    expect(await prepareScript({ command: path, user: 'ktsvt-no-such-user' }, context())).toMatchObject({ ok: false });
    expect(await prepareScript({ command: path }, context({ scriptUser: undefined }))).toMatchObject({ ok: false, message: expect.stringMatching(/keepalived_script/) });
  });
});
