// track_file with a real file: written, rewritten by rename, deleted, created by init_file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTracker } from '../../src/vrrp/trackers/file-tracker.js';
import type { TrackerState } from '../../src/vrrp/trackers/tracker.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ktsvt-file-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function nextValue(tracker: FileTracker, ms = 2000): Promise<TrackerState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change in ${ms} ms`)), ms);
    tracker.once('change', (state) => {
      clearTimeout(timer);
      resolve(state);
    });
  });
}

/** Every change seen until `ms` of quiet. */
async function changesDuring(tracker: FileTracker, act: () => void, ms = 300): Promise<TrackerState[]> {
  const seen: TrackerState[] = [];
  const listener = (state: TrackerState) => seen.push(state);
  tracker.on('change', listener);
  act();
  await new Promise((r) => setTimeout(r, ms));
  tracker.off('change', listener);
  return seen;
}

describe('FileTracker', () => {
  it('reads the value at start and after every change, 0 when the file goes', async () => {
    const path = join(dir, 'weight');
    writeFileSync(path, '3\n');
    const tracker = new FileTracker({ name: 'tf', path });
    const first = nextValue(tracker);
    tracker.start();
    try {
      expect(await first).toEqual({ name: 'tf', value: 3 });

      let change = nextValue(tracker);
      writeFileSync(path, '-2\n');
      expect(await change).toEqual({ name: 'tf', value: -2 });

      change = nextValue(tracker);
      writeFileSync(join(dir, 'weight.tmp'), '12\n');
      renameSync(join(dir, 'weight.tmp'), path);
      expect(await change).toEqual({ name: 'tf', value: 12 });

      change = nextValue(tracker);
      unlinkSync(path);
      expect(await change).toEqual({ name: 'tf', value: 0 });

      change = nextValue(tracker);
      writeFileSync(path, 'garbage then 5');
      writeFileSync(path, '  7 apples');
      expect(await change).toEqual({ name: 'tf', value: 7 });
      await tracker.settled();
      expect(tracker.state).toEqual({ name: 'tf', value: 7 });
    } finally {
      tracker.stop();
    }
  });

  it('init_file creates a missing file and leaves an existing one unless overwrite', async () => {
    const created = join(dir, 'init-a');
    const kept = join(dir, 'init-b');
    const overwritten = join(dir, 'init-c');
    writeFileSync(kept, '4\n');
    writeFileSync(overwritten, '4\n');
    const trackers = [
      new FileTracker({ name: 'a', path: created, initFile: { value: 7, overwrite: false } }),
      new FileTracker({ name: 'b', path: kept, initFile: { value: 7, overwrite: false } }),
      new FileTracker({ name: 'c', path: overwritten, initFile: { value: 9, overwrite: true } }),
    ];
    for (const t of trackers) t.start();
    try {
      await Promise.all(trackers.map((t) => t.settled()));
      expect(readFileSync(created, 'utf8')).toBe('7\n');
      expect(readFileSync(kept, 'utf8')).toBe('4\n');
      expect(readFileSync(overwritten, 'utf8')).toBe('9\n');
      expect(trackers.map((t) => t.state)).toEqual([{ name: 'a', value: 7 }, { name: 'b', value: 4 }, { name: 'c', value: 9 }]);
    } finally {
      for (const t of trackers) t.stop();
    }
  });

  it('sees a shell-style rewrite (truncate, then write) as one change, not a transient 0', async () => {
    const path = join(dir, 'shell');
    writeFileSync(path, '5\n');
    const tracker = new FileTracker({ name: 'sh', path });
    tracker.start();
    try {
      await tracker.settled();
      const seen = await changesDuring(tracker, () => spawnSync('sh', ['-c', `echo 8 > ${path}`]));
      expect(seen).toEqual([{ name: 'sh', value: 8 }]);
    } finally {
      tracker.stop();
    }
  });

  it('polls when the directory does not exist yet', async () => {
    const path = join(dir, 'later', 'weight');
    const errors: Error[] = [];
    const tracker = new FileTracker({ name: 'late', path, pollMs: 50 });
    tracker.on('error', (e) => errors.push(e));
    tracker.start();
    try {
      expect(errors.length).toBe(1);
      const change = nextValue(tracker);
      mkdirSync(join(dir, 'later'));
      writeFileSync(path, '2');
      expect(await change).toEqual({ name: 'late', value: 2 });
    } finally {
      tracker.stop();
    }
  });
});
