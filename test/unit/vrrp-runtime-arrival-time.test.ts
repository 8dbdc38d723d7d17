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

describe('advert arrival time from the moment of the read', () => {
  it('counts back from when the read returned, not from a later now (the time spent decoding)', () => {
    const read = { ...message(1_500_000), readAtMs: 99 };
    expect(arrivalTimeMs(read, 100)).toBeCloseTo(97.5, 9);
    expect(arrivalTimeMs({ ...message(undefined), readAtMs: 99 }, 100)).toBe(99);
  });

  it('is stamped by Socket.receive right after the read', async () => {
    const { Socket } = await import('../../src/sys/socket.js');
    const { sockaddrIn } = await import('../../src/sys/sockaddr.js');
    const port = 46100 + (process.pid % 500);
    const receiver = Socket.open(2, 2 | 2048, 0).bind(sockaddrIn('127.0.0.1', port));
    const sender = Socket.open(2, 2, 0);
    try {
      sender.send(Buffer.from('x'), sockaddrIn('127.0.0.1', port));
      const before = performance.now();
      const received = receiver.receive({ maxLength: 16 })!;
      const after = performance.now();
      expect(received.readAtMs).toBeGreaterThanOrEqual(before);
      expect(received.readAtMs).toBeLessThanOrEqual(after);
    } finally {
      receiver.close();
      sender.close();
    }
  });
});
