import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/sys/native.js';
import { arrivalTimeMs } from '../../src/vrrp/runtime/socket-set.js';

function message(ageNs: number | undefined): ReceivedMessage {
  const base = { data: Buffer.alloc(0), length: 0, address: Buffer.alloc(0), flags: 0, control: [] };
  return ageNs === undefined ? base : { ...base, ageNs };
}

describe('advert arrival time from the kernel stamp', () => {
  it('counts back from now by the stamp\'s age', () => {
    expect(arrivalTimeMs(message(1_500_000), 100)).toBeCloseTo(98.5, 9);
  });

  it('is now without a stamp, or with one the realtime clock made unbelievable (negative, a second or more)', () => {
    expect(arrivalTimeMs(message(undefined), 100)).toBe(100);
    expect(arrivalTimeMs(message(-2_000_000), 100)).toBe(100);
    expect(arrivalTimeMs(message(3_600e9), 100)).toBe(100);
  });
});
