import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { masterDownIntervalMs, skewTimeMs } from '../../src/vrrp/timers.js';
import { createInstanceState, step } from '../../src/vrrp/fsm.js';
import { instanceConfig } from '../support/vrrp-sim-fixtures.js';

describe('Skew_Time and Master_Down_Interval', () => {
  it('v2: skew is (256 − priority)/256 s whatever the advert interval', () => {
    expect(skewTimeMs(2, 100, 1000)).toBe(609.375);
    expect(skewTimeMs(2, 100, 5000)).toBe(609.375);
    expect(skewTimeMs(2, 255, 1000)).toBe(3.906);
    expect(skewTimeMs(2, 1, 1000)).toBe(996.093);
  });

  it('v2: master-down is 3 intervals plus skew (keepalived\'s 3.6 s at advert_int 1, priority 100)', () => {
    expect(masterDownIntervalMs(2, 100, 1000, 3)).toBe(3609.375);
    expect(masterDownIntervalMs(2, 150, 3000, 3)).toBe(9414.062);
  });

  it('v3: skew scales with the master\'s interval, in truncated microseconds', () => {
    expect(skewTimeMs(3, 100, 1000)).toBe(609.375);
    expect(skewTimeMs(3, 100, 100)).toBe(60.937);
    expect(masterDownIntervalMs(3, 100, 100, 3)).toBe(360.937);
  });

  it('v3 at 10 ms keeps a non-zero skew that centisecond arithmetic would truncate to 0', () => {
    expect(skewTimeMs(3, 100, 10)).toBe(6.093);
    expect(skewTimeMs(3, 254, 10)).toBe(0.078);
    expect(masterDownIntervalMs(3, 100, 10, 3)).toBe(36.093);
  });

  it('down_timer_adverts replaces the 3 of the RFC', () => {
    expect(masterDownIntervalMs(3, 100, 100, 1)).toBe(160.937);
    expect(masterDownIntervalMs(3, 100, 100, 100)).toBe(10_060.937);
  });

  it('a higher priority never waits longer than a lower one, for either version', () => {
    fc.assert(fc.property(
      fc.constantFrom(2 as const, 3 as const), fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 4095 }),
      (version, priority, centiseconds) => {
        const interval = centiseconds * 10;
        expect(skewTimeMs(version, priority + 1, interval)).toBeLessThanOrEqual(skewTimeMs(version, priority, interval));
        expect(skewTimeMs(version, priority, interval)).toBeGreaterThanOrEqual(0);
      }));
  });
});

describe('timers objects', () => {
  it('hold every timer name in one order, armed or not: one object shape keeps step on V8 fast paths', () => {
    // Spreading states whose timers objects differed in shape cost ~4 µs per step (0.05 µs now), on
    // every advert a master sends: the idle CPU of 50 instances.
    const names = ['masterDown', 'advert', 'garpMasterDelay', 'garpRefresh', 'garpLowerPrioDelay'];
    let state = createInstanceState(instanceConfig({ basePriority: 255 }));
    expect(Object.keys(state.timers)).toEqual(names);
    state = step(state, { type: 'startup' }, 0).state;
    expect(state.state).toBe('MASTER');
    expect(Object.keys(state.timers)).toEqual(names);
    state = step(state, { type: 'timerExpired', timer: 'advert' }, state.timers.advert!).state;
    expect(Object.keys(state.timers)).toEqual(names);
    expect(state.timers.advert).toBeGreaterThan(0);
  });
});
