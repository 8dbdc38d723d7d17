// The scheduler's deadline queue: due order, FIFO among equal times, moves and removals.
import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type QueueEntry } from '../../src/check/scheduler-queue.js';

interface Named extends QueueEntry {
  readonly name: string;
}

const entry = (name: string): Named => ({ name, dueMs: 0, heapIndex: -1, sequence: 0 });

function drain(queue: DeadlineQueue<Named>): string[] {
  const out: string[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) out.push(next.name);
  return out;
}

describe('DeadlineQueue', () => {
  it('pops in due order, first pushed first among equal due times', () => {
    const queue = new DeadlineQueue<Named>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [Named, Named, Named, Named];
    queue.push(c, 30);
    queue.push(a, 10);
    queue.push(d, 10);
    queue.push(b, 20);
    expect(queue.peek()?.name).toBe('a');
    expect(drain(queue)).toEqual(['a', 'd', 'b', 'c']);
    expect(queue.size).toBe(0);
    expect([a, b, c, d].every((e) => e.heapIndex === -1)).toBe(true);
  });

  it('pushing a queued entry moves it; removing takes it out once', () => {
    const queue = new DeadlineQueue<Named>();
    const [a, b, c] = ['a', 'b', 'c'].map(entry) as [Named, Named, Named];
    queue.push(a, 10);
    queue.push(b, 20);
    queue.push(c, 30);
    queue.push(a, 40);
    expect(queue.size).toBe(3);
    queue.remove(b);
    queue.remove(b);
    expect(queue.size).toBe(2);
    expect(drain(queue)).toEqual(['c', 'a']);
  });

  it('agrees with a sort over many random pushes, moves and removals', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const queue = new DeadlineQueue<Named>();
    const entries = Array.from({ length: 300 }, (_, i) => entry(`e${i}`));
    const model = new Map<Named, { dueMs: number; order: number }>();
    let order = 0;
    for (let step = 0; step < 5000; step++) {
      const e = entries[Math.floor(random() * entries.length)]!;
      if (random() < 0.25) {
        queue.remove(e);
        model.delete(e);
      } else {
        const dueMs = Math.floor(random() * 100);
        queue.push(e, dueMs);
        model.set(e, { dueMs, order: order++ });
      }
    }
    const expected = [...model].sort(([, x], [, y]) => x.dueMs - y.dueMs || x.order - y.order).map(([e]) => e.name);
    expect(queue.size).toBe(expected.length);
    expect(drain(queue)).toEqual(expected);
  });
});
