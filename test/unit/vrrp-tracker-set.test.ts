// TrackerSet fans one tracker's changes out to every instance that tracks it, each with its weight.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TrackerStatus } from '../../src/vrrp/priority.js';
import type { Tracker, TrackerEvents, TrackerState } from '../../src/vrrp/trackers/tracker.js';
import { TrackerSet } from '../../src/vrrp/trackers/tracking.js';

class ManualTracker extends EventEmitter<TrackerEvents> implements Tracker {
  started = 0;
  constructor(readonly name: string, public state: TrackerState) {
    super();
  }
  start(): void {
    this.started++;
  }
  stop(): void {
    this.started--;
  }
  set(state: TrackerState): void {
    this.state = state;
    this.emit('change', state);
  }
}

describe('TrackerSet', () => {
  it('gives each instance its own status, initially and on every change, until stopped', () => {
    const seen: [string, TrackerStatus][] = [];
    const set = new TrackerSet((instance, status) => seen.push([instance, status]));
    const script = new ManualTracker('chk', { name: 'chk', up: true });
    const file = new ManualTracker('tf', { name: 'tf', value: 2 });
    set.add(script, [{ instance: 'VI_1', weight: 10, reverse: false }, { instance: 'VI_2', weight: 0, reverse: false }]);
    set.add(file, [{ instance: 'VI_1', weight: -5, reverse: false }]);
    expect(set.statusesOf('VI_1')).toEqual([
      { name: 'chk', weight: 10, reverse: false, up: true },
      { name: 'tf', weight: -10, reverse: false, up: false },
    ]);
    expect(set.statusesOf('VI_3')).toEqual([]);
    set.start();
    expect([script.started, file.started]).toEqual([1, 1]);
    script.set({ name: 'chk', up: false });
    expect(seen).toEqual([
      ['VI_1', { name: 'chk', weight: 10, reverse: false, up: false }],
      ['VI_2', { name: 'chk', weight: 0, reverse: false, up: false }],
    ]);
    set.stop();
    script.set({ name: 'chk', up: true });
    expect(seen).toHaveLength(2);
    expect(script.started).toBe(0);
  });

  it('starts a tracker added after start', () => {
    const set = new TrackerSet(() => undefined);
    set.start();
    const late = new ManualTracker('late', { name: 'late', up: true });
    set.add(late, []);
    expect(late.started).toBe(1);
  });
});
