// The last few check results of one real server, for dumps and status. A fixed ring of columns
// (numbers in typed arrays, strings by reference), so recording a result allocates nothing and
// thousands of servers checked every second leave no garbage behind; entries are built only
// when someone asks for them.
import type { CheckResult, CheckerKind } from './types.js';

export interface HistoryEntry {
  /** performance.now() when the check finished. */
  readonly atMs: number;
  readonly kind: CheckerKind;
  readonly ok: boolean;
  readonly reason: string;
  readonly latencyMs: number;
}

export class HistoryRing {
  readonly #atMs: Float64Array;
  readonly #latencyMs: Float64Array;
  readonly #ok: Uint8Array;
  readonly #kinds: (CheckerKind | undefined)[];
  readonly #reasons: (string | undefined)[];
  /** Results recorded so far; the newest is at (recorded - 1) % capacity. */
  #recorded = 0;

  constructor(readonly capacity: number) {
    this.#atMs = new Float64Array(capacity);
    this.#latencyMs = new Float64Array(capacity);
    this.#ok = new Uint8Array(capacity);
    this.#kinds = new Array<CheckerKind | undefined>(capacity).fill(undefined);
    this.#reasons = new Array<string | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return Math.min(this.#recorded, this.capacity);
  }

  record(atMs: number, kind: CheckerKind, result: CheckResult): void {
    if (this.capacity === 0) return;
    const slot = this.#recorded % this.capacity;
    this.#atMs[slot] = atMs;
    this.#latencyMs[slot] = result.latencyMs;
    this.#ok[slot] = result.ok ? 1 : 0;
    this.#kinds[slot] = kind;
    this.#reasons[slot] = result.reason;
    this.#recorded++;
  }

  /** The kept results, oldest first. */
  entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let i = this.#recorded - this.length; i < this.#recorded; i++) {
      const slot = i % this.capacity;
      out.push({ atMs: this.#atMs[slot]!, kind: this.#kinds[slot]!, ok: this.#ok[slot] === 1, reason: this.#reasons[slot]!, latencyMs: this.#latencyMs[slot]! });
    }
    return out;
  }
}
