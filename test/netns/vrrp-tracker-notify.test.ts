// Notifications with real parts: a FIFO read by a separate `cat` process, notify scripts that log
// their arguments, a slow script that must not reorder an instance's notifications, and a FIFO
// nobody reads that must never stall the writer.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptRunner } from '../../src/common/script-runner.js';
import { NotifyFifo } from '../../src/vrrp/notify-fifo.js';
import { Notifier, type NotifyScripts } from '../../src/vrrp/notify.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync('/run/ktsvt-notify-');
  chmodSync(dir, 0o755);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A script appending "<tag>:[arg][arg]..." to the shared log, after `delay` seconds. */
function logger(tag: string, delay = 0): string {
  const log = join(dir, 'log');
  return script(`${tag}.sh`, `sleep ${delay}; { printf '%s:' "${tag}"; for a in "$@"; do printf '[%s]' "$a"; done; echo; } >> ${log}`);
}

const logLines = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').trim().split('\n') : []);

describe('NotifyFifo', () => {
  it('creates the FIFO, delivers lines in order to a reader process, and removes it at close', async () => {
    const path = join(dir, 'fifo');
    const fifo = await NotifyFifo.open(path);
    expect(statSync(path).isFIFO()).toBe(true);
    const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const notifier = new Notifier({ runner: new ScriptRunner(), fifos: [fifo], priorityChanges: new Set(['VI_1']) });
    notifier.instanceTransition('VI_1', 'BACKUP', 100);
    notifier.groupTransition('G1', 'BACKUP');
    notifier.instanceTransition('VI_1', 'INIT', 100);
    notifier.instanceTransition('VI_1', 'MASTER', 130);
    notifier.masterReceivedLowerPriority('VI_1', 130);
    notifier.priorityChanged('VI_1', 'MASTER', 120);
    notifier.priorityChanged('VI_2', 'MASTER', 120); // VI_2 does not report priority changes
    notifier.instanceTransition('VI_1', 'STOP', 120);
    const expected = 'INSTANCE "VI_1" BACKUP 100\nGROUP "G1" BACKUP 0\nINSTANCE "VI_1" MASTER 130\nINSTANCE "VI_1" MASTER_RX_LOWER_PRI 130\nINSTANCE "VI_1" MASTER_PRIORITY 120\nINSTANCE "VI_1" STOP 120\n';
    for (let i = 0; i < 100 && text.length < expected.length; i++) await new Promise((r) => setTimeout(r, 20));
    reader.kill();
    expect(text).toBe(expected);
    await fifo.close();
    expect(existsSync(path)).toBe(false);
  });

  it('never blocks when nobody reads: a full pipe queues, then drops the oldest', async () => {
    const fifo = await NotifyFifo.open(join(dir, 'unread'), { maxQueued: 10, retryMs: 10 });
    const started = performance.now();
    for (let i = 0; i < 5000; i++) fifo.write({ subject: 'INSTANCE', name: `VI_${i}`, event: 'MASTER', priority: 100 });
    expect(performance.now() - started).toBeLessThan(1000);
    const stats = fifo.stats;
    expect(stats.written).toBeGreaterThan(100);
    expect(stats.queued).toBe(10);
    expect(stats.written + stats.queued + stats.dropped).toBe(5000);
    await fifo.close();
  });

  it('refuses a path that exists and is not a FIFO', async () => {
    const path = join(dir, 'plain');
    writeFileSync(path, '');
    await expect(NotifyFifo.open(path)).rejects.toThrow(/not a FIFO/);
  });
});

describe('Notifier scripts', () => {
  it('runs the state script with its own arguments, then notify with INSTANCE|GROUP name state priority', async () => {
    rmSync(join(dir, 'log'), { force: true });
    const instances = new Map<string, NotifyScripts>([
      ['VI_1', { master: { argv: [logger('nm')] }, any: { argv: [logger('ix'), 'ix'] }, masterRxLowerPri: { argv: [logger('rx'), 'rxlow'] } }],
    ]);
    const groups = new Map<string, NotifyScripts>([['G1', { any: { argv: [logger('gx'), 'gx'] } }]]);
    const notifier = new Notifier({ runner: new ScriptRunner(), instances, groups });
    notifier.instanceTransition('VI_1', 'MASTER', 100);
    await notifier.idle();
    notifier.groupTransition('G1', 'MASTER');
    await notifier.idle();
    notifier.masterReceivedLowerPriority('VI_1', 100);
    await notifier.idle();
    notifier.instanceTransition('OTHER', 'MASTER', 100);
    await notifier.idle();
    const lines = logLines();
    expect(lines.slice(0, 2).sort()).toEqual(['ix:[ix][INSTANCE][VI_1][MASTER][100]', 'nm:']);
    expect(lines.slice(2)).toEqual(['gx:[gx][GROUP][G1][MASTER][0]', 'rx:[rxlow]']);
  });

  it("keeps one instance's notifications in order behind a slow script, without holding back another instance", async () => {
    rmSync(join(dir, 'log'), { force: true });
    const instances = new Map<string, NotifyScripts>([
      ['VI_A', { backup: { argv: [logger('slowA', 0.4)] }, master: { argv: [logger('fastA')] } }],
      ['VI_B', { master: { argv: [logger('fastB')] } }],
    ]);
    const notifier = new Notifier({ runner: new ScriptRunner(), instances });
    const results: boolean[] = [];
    notifier.on('script', (d) => results.push(d.ok));
    notifier.instanceTransition('VI_A', 'BACKUP', 100);
    notifier.instanceTransition('VI_A', 'MASTER', 100);
    notifier.instanceTransition('VI_B', 'MASTER', 100);
    await notifier.idle();
    expect(logLines()).toEqual(['fastB:', 'slowA:', 'fastA:']);
    expect(results).toEqual([true, true, true]);
  });

  it('lets the next notification go after orderWaitMs when a script hangs', async () => {
    rmSync(join(dir, 'log'), { force: true });
    const instances = new Map<string, NotifyScripts>([['VI_A', { backup: { argv: [logger('hangs', 1.5)] }, master: { argv: [logger('next')] } }]]);
    const notifier = new Notifier({ runner: new ScriptRunner(), instances, orderWaitMs: 200 });
    const started = performance.now();
    notifier.instanceTransition('VI_A', 'BACKUP', 100);
    notifier.instanceTransition('VI_A', 'MASTER', 100);
    while (!logLines().includes('next:') && performance.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    const waited = performance.now() - started;
    expect(logLines()).toEqual(['next:']);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1200);
    await notifier.idle();
    expect(logLines()).toEqual(['next:', 'hangs:']);
  });

  it('runs scripts as the identity they were given', async () => {
    spawnSync('install', ['-m', '1777', '-d', join(dir, 'pub')]);
    const who = script('who.sh', `id -u > ${join(dir, 'pub', 'uid')}`);
    const notifier = new Notifier({ runner: new ScriptRunner(), instances: new Map([['VI_1', { fault: { argv: [who], identity: { uid: 65534, gid: 65534 } } }]]) });
    const summaries: string[] = [];
    notifier.on('script', (d) => summaries.push(d.summary));
    notifier.instanceTransition('VI_1', 'FAULT', 100);
    await notifier.idle();
    expect(summaries).toEqual(['exited 0']);
    expect(readFileSync(join(dir, 'pub', 'uid'), 'utf8').trim()).toBe('65534');
  });
});
