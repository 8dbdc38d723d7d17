// The vrrp_script rise/fall counter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialHealth, isHealthy, recordResult, type ScriptHealth } from '../../src/vrrp/trackers/script-health.js';

function feed(health: ScriptHealth, results: readonly boolean[]): boolean[] {
  const states: boolean[] = [];
  for (const r of results) {
    health = recordResult(health, r);
    states.push(isHealthy(health));
  }
  return states;
}

describe('script health', () => {
  it('starts up, one failure from down, without init_fail (measured: fall 3 went FAULT on the first failure)', () => {
    const h = initialHealth(2, 3, false);
    expect(isHealthy(h)).toBe(true);
    expect(feed(h, [false])).toEqual([false]);
  });

  it('starts down, one success from up, with init_fail (measured: rise 3 left FAULT after one success)', () => {
    const h = initialHealth(3, 2, true);
    expect(isHealthy(h)).toBe(false);
    expect(feed(h, [true])).toEqual([true]);
  });

  it('after a success, needs `fall` consecutive failures to go down', () => {
    expect(feed(initialHealth(2, 3, false), [true, false, false, false])).toEqual([true, true, true, false]);
  });

  it('after going down, needs `rise` consecutive successes to come up', () => {
    expect(feed(initialHealth(3, 1, false), [false, true, true, true])).toEqual([false, false, false, true]);
  });

  it('a success between failures starts the failure count again', () => {
    expect(feed(initialHealth(1, 3, false), [true, false, false, true, false, false, false])).toEqual([true, true, true, true, true, true, false]);
  });

  it('a failure while rising starts the success count again', () => {
    expect(feed(initialHealth(3, 1, false), [false, true, true, false, true, true, true])).toEqual([false, false, false, false, false, false, true]);
  });

  it('reproduces keepalived 2.2.7 on a measured sequence (rise 2, fall 2: down at run 1, up at 6, down at 11)', () => {
    const results = 'FSFFSSSFSFFF'.split('').map((c) => c === 'S');
    const states = feed(initialHealth(2, 2, false), results);
    const transitions = states.flatMap((up, i) => (up !== (i === 0 ? true : states[i - 1]) ? [`${i + 1}:${up ? 'up' : 'down'}`] : []));
    expect(transitions).toEqual(['1:down', '6:up', '11:down']);
  });

  it('changes state only after rise successes or fall failures in a row (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.boolean(), { maxLength: 60 }), (rise, fall, results) => {
        let h = recordResult(initialHealth(rise, fall, false), true); // past the start rule
        let streak = 0;
        let last: boolean | undefined;
        for (const r of results) {
          const before = isHealthy(h);
          streak = r === last ? streak + 1 : 1;
          last = r;
          h = recordResult(h, r);
          const after = isHealthy(h);
          expect(h.count).toBeGreaterThanOrEqual(0);
          expect(h.count).toBeLessThanOrEqual(rise + fall - 1);
          if (before !== after) expect(streak).toBe(after ? rise : fall);
          if (!before && r && streak >= rise) expect(after).toBe(true);
          if (before && !r && streak >= fall) expect(after).toBe(false);
        }
      }),
    );
  });
});
