// Tracker states become per-instance TrackerStatus values; track_file numbers as keepalived 2.2.7
// applied them (measured effective priorities from a base of 100).
import { describe, expect, it } from 'vitest';
import { evaluatePriority } from '../../src/vrrp/priority.js';
import { parseTrackFileValue } from '../../src/vrrp/trackers/file-tracker.js';
import { toTrackerStatus, trackFileStatus } from '../../src/vrrp/trackers/tracker.js';

const priorityWithFile = (value: number, weight: number, reverse = false) => evaluatePriority(100, [trackFileStatus('tf', value, weight, reverse)]);

describe('parseTrackFileValue (measured)', () => {
  it.each([
    ['3\n', 3],
    ['-2\n', -2],
    ['2.5\n', 2],
    ['  4  \n', 4],
    ['abc\n', 0],
    ['xyz', 0],
    ['', 0],
    ['+7', 7],
    ['99999999999', 2147483647],
  ])('%j reads %d', (text, value) => {
    expect(parseTrackFileValue(text)).toBe(value);
  });
});

describe('trackFileStatus', () => {
  it('adds value × weight: 3 × 10 → 130, -2 × 10 → 80, 2 × 10 → 120, 7 + 4 → 111', () => {
    expect(priorityWithFile(3, 10).effectivePriority).toBe(130);
    expect(priorityWithFile(-2, 10).effectivePriority).toBe(80);
    expect(priorityWithFile(2, 10).effectivePriority).toBe(120);
    expect(evaluatePriority(100, [trackFileStatus('a', 7, 1, false), trackFileStatus('b', 4, 1, false)]).effectivePriority).toBe(111);
  });

  it('faults below -253 (measured: -300 × 1 → FAULT)', () => {
    expect(priorityWithFile(-300, 1).faults).toHaveLength(1);
    expect(priorityWithFile(-253, 1).faults).toHaveLength(0);
  });

  it('with weight 0, a non-zero value faults and zero (also a missing or unreadable file) does not', () => {
    expect(priorityWithFile(1, 0).faults).toHaveLength(1);
    expect(priorityWithFile(0, 0)).toEqual({ effectivePriority: 100, adjustments: [], faults: [] });
    expect(priorityWithFile(0, 0, true).faults).toHaveLength(1);
  });

  it('reverse negates the amount', () => {
    expect(priorityWithFile(3, 10, true).effectivePriority).toBe(70);
  });

  it('a zero result neither adjusts nor faults', () => {
    expect(priorityWithFile(0, 10)).toEqual({ effectivePriority: 100, adjustments: [], faults: [] });
  });
});

describe('toTrackerStatus', () => {
  it('gives each instance its own weight and reverse for the same state', () => {
    const state = { name: 'chk', up: false };
    expect(toTrackerStatus(state, { instance: 'A', weight: -20, reverse: false })).toEqual({ name: 'chk', weight: -20, reverse: false, up: false });
    expect(toTrackerStatus(state, { instance: 'B', weight: 0, reverse: true })).toEqual({ name: 'chk', weight: 0, reverse: true, up: false });
  });

  it('routes file values through trackFileStatus', () => {
    expect(toTrackerStatus({ name: 'tf', value: 3 }, { instance: 'A', weight: 10, reverse: false })).toEqual({ name: 'tf', weight: 30, reverse: false, up: true });
  });
});
