// track_process against real processes: a copy of sleep(1) under a name of our own (so nothing
// else on the machine matches), started and killed while the tracker scans /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessScanner, ProcessTracker } from '../../src/vrrp/trackers/process-tracker.js';
import type { TrackerState } from '../../src/vrrp/trackers/tracker.js';

let dir: string;
let binary: string;
const NAME = `ktsvt${process.pid}`.slice(0, 15);
const children = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ktsvt-proc-'));
  binary = join(dir, NAME);
  copyFileSync('/bin/sleep', binary);
  chmodSync(binary, 0o755);
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startSleeper(...args: string[]): ChildProcess {
  const child = spawn(binary, args.length ? args : ['1000'], { stdio: 'ignore' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopSleeper(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

function nextChange(tracker: ProcessTracker, ms = 3000): Promise<TrackerState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change in ${ms} ms`)), ms);
    tracker.once('change', (state) => {
      clearTimeout(timer);
      resolve(state);
    });
  });
}

describe('ProcessTracker', () => {
  it('is up while quorum..quorum_max processes of that name run', async () => {
    const scanner = new ProcessScanner({ pollMs: 100, readCommandLines: false });
    const tracker = new ProcessTracker({ name: 'p', spec: { command: [NAME], fullCommand: false, quorum: 2, quorumMax: 2 }, scanner, forkDelayMs: 0, terminateDelayMs: 0 });
    const counts: number[] = [];
    tracker.on('count', (n) => counts.push(n));
    tracker.start();
    scanner.start();
    try {
      await scanner.scan();
      expect(tracker.state).toEqual({ name: 'p', up: false });
      const a = startSleeper();
      const b = startSleeper();
      expect(await nextChange(tracker)).toEqual({ name: 'p', up: true });
      const c = startSleeper();
      expect(await nextChange(tracker)).toEqual({ name: 'p', up: false });
      await stopSleeper(c);
      expect(await nextChange(tracker)).toEqual({ name: 'p', up: true });
      await stopSleeper(a);
      expect(await nextChange(tracker)).toEqual({ name: 'p', up: false });
      await stopSleeper(b);
      expect(counts).toContain(3);
    } finally {
      tracker.stop();
      scanner.stop();
    }
  });

  it('matches parameters on the command line', async () => {
    const scanner = new ProcessScanner({ pollMs: 100, readCommandLines: true });
    const exact = new ProcessTracker({ name: 'exact', spec: { command: [binary, '1001'], fullCommand: false, quorum: 1, quorumMax: Infinity }, scanner, forkDelayMs: 0, terminateDelayMs: 0 });
    const initial = new ProcessTracker({ name: 'initial', spec: { command: [binary, '10'], paramMatch: 'initial', fullCommand: false, quorum: 1, quorumMax: Infinity }, scanner, forkDelayMs: 0, terminateDelayMs: 0 });
    exact.start();
    initial.start();
    try {
      const child = startSleeper('1002');
      await scanner.scan();
      expect(exact.state).toEqual({ name: 'exact', up: false });
      expect(initial.state).toEqual({ name: 'initial', up: true });
      const other = startSleeper('1001');
      await new Promise((r) => setTimeout(r, 50));
      await scanner.scan();
      expect(exact.state).toEqual({ name: 'exact', up: true });
      await stopSleeper(child);
      await stopSleeper(other);
      await scanner.scan();
      expect([exact.state, initial.state]).toEqual([{ name: 'exact', up: false }, { name: 'initial', up: false }]);
    } finally {
      exact.stop();
      initial.stop();
    }
  });

  it('terminate_delay hides a restart shorter than the delay; fork_delay postpones up', async () => {
    const scanner = new ProcessScanner({ pollMs: 50, readCommandLines: false });
    const tracker = new ProcessTracker({ name: 'd', spec: { command: [NAME], fullCommand: false, quorum: 1, quorumMax: Infinity }, scanner, forkDelayMs: 400, terminateDelayMs: 600 });
    const changes: { up: boolean; at: number }[] = [];
    let first = startSleeper();
    tracker.start();
    await scanner.scan();
    expect(tracker.state).toEqual({ name: 'd', up: true });
    tracker.on('change', (s) => changes.push({ up: 'up' in s && s.up, at: performance.now() }));
    scanner.start();
    try {
      await stopSleeper(first);
      await new Promise((r) => setTimeout(r, 200));
      first = startSleeper();
      await new Promise((r) => setTimeout(r, 800));
      expect(changes).toEqual([]);
      const stoppedAt = performance.now();
      await stopSleeper(first);
      await new Promise((r) => setTimeout(r, 900));
      expect(changes.map((c) => c.up)).toEqual([false]);
      expect(changes[0]!.at - stoppedAt).toBeGreaterThanOrEqual(590);
      const startedAt = performance.now();
      startSleeper();
      await new Promise((r) => setTimeout(r, 700));
      expect(changes.map((c) => c.up)).toEqual([false, true]);
      expect(changes[1]!.at - startedAt).toBeGreaterThanOrEqual(390);
    } finally {
      tracker.stop();
      scanner.stop();
    }
  });
});
