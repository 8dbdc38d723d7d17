import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describePriority, evaluatePriority, type TrackerStatus } from '../../src/vrrp/priority.js';

const tracker = (name: string, weight: number, up: boolean, reverse = false): TrackerStatus => ({ name, weight, up, reverse });

describe('effective priority from trackers', () => {
  it('a failing weight-0 tracker is a fault and does not touch the priority', () => {
    expect(evaluatePriority(100, [tracker('chk_db', 0, false)])).toEqual({ effectivePriority: 100, adjustments: [], faults: ['chk_db failing'] });
    expect(evaluatePriority(100, [tracker('chk_db', 0, true)]).faults).toEqual([]);
  });

  it('weight 0 reverse faults while the tracker is up', () => {
    expect(evaluatePriority(100, [tracker('maintenance', 0, true, true)]).faults).toEqual(['maintenance up (reverse)']);
    expect(evaluatePriority(100, [tracker('maintenance', 0, false, true)]).faults).toEqual([]);
  });

  it('a positive weight is added while the tracker is up, nothing while it fails', () => {
    expect(evaluatePriority(100, [tracker('chk_web', 20, true)]).effectivePriority).toBe(120);
    expect(evaluatePriority(100, [tracker('chk_web', 20, false)]).effectivePriority).toBe(100);
  });

  it('a negative weight is subtracted while the tracker fails, nothing while it is up', () => {
    expect(evaluatePriority(100, [tracker('chk_nginx', -30, false)]).effectivePriority).toBe(70);
    expect(evaluatePriority(100, [tracker('chk_nginx', -30, true)]).effectivePriority).toBe(100);
  });

  it('reverse turns the adjustment round: a positive weight subtracted while up, a negative one added while down', () => {
    expect(evaluatePriority(100, [tracker('eth1', 20, true, true)]).effectivePriority).toBe(80);
    expect(evaluatePriority(100, [tracker('eth1', 20, false, true)]).effectivePriority).toBe(100);
    expect(evaluatePriority(100, [tracker('eth1', -20, false, true)]).effectivePriority).toBe(120);
    expect(evaluatePriority(100, [tracker('eth1', -20, true, true)]).effectivePriority).toBe(100);
  });

  it('adjustments add up and the result is clamped to 1..254', () => {
    expect(evaluatePriority(100, [tracker('a', 20, true), tracker('b', -50, false)]).effectivePriority).toBe(70);
    expect(evaluatePriority(240, [tracker('a', 100, true)]).effectivePriority).toBe(254);
    expect(evaluatePriority(10, [tracker('a', -253, false)]).effectivePriority).toBe(1);
  });

  it('the address owner (255) ignores weights but still faults on weight-0 trackers', () => {
    expect(evaluatePriority(255, [tracker('a', -100, false), tracker('db', 0, false)])).toEqual({ effectivePriority: 255, adjustments: [], faults: ['db failing'] });
  });

  it('a non-owner can never reach 255 or 0, whatever the trackers say', () => {
    const trackers = fc.array(fc.record({ name: fc.constant('t'), weight: fc.integer({ min: -254, max: 254 }), up: fc.boolean(), reverse: fc.boolean() }), { maxLength: 6 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 254 }), trackers, (base, ts) => {
      const { effectivePriority } = evaluatePriority(base, ts);
      expect(effectivePriority).toBeGreaterThanOrEqual(1);
      expect(effectivePriority).toBeLessThanOrEqual(254);
    }));
  });

  it('status output names each adjustment and its reason', () => {
    const evaluation = evaluatePriority(100, [tracker('chk_nginx', -30, false), tracker('chk_web', 20, false)]);
    expect(describePriority(100, evaluation)).toBe('70 (base 100, -30: chk_nginx failing)');
    expect(describePriority(100, evaluatePriority(100, [tracker('eth1', 15, true)]))).toBe('115 (base 100, +15: eth1 up)');
    expect(describePriority(100, evaluatePriority(100, []))).toBe('100');
  });
});
