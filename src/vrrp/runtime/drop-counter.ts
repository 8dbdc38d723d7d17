// Counted drops of received packets, by reason, with a rate-limited log line per reason: a flood
// of bad packets costs a counter increment each and at most one log line per reason per period.
import type { Logger } from '../../common/logger.js';
import type { DropReason } from '../drop-reasons.js';

/** Drop reasons only the runtime can tell (they need the socket's mode or the peer list). */
export type RuntimeDropReason = DropReason | 'mode-mismatch' | 'unknown-unicast-source' | 'send-failed' | 'ah-replayed-sequence';

const DEFAULT_LOG_PERIOD_MS = 10_000;

export class DropCounter {
  readonly counts: Partial<Record<RuntimeDropReason, number>> = {};
  readonly #lastLogged = new Map<RuntimeDropReason, { at: number; countThen: number }>();

  constructor(private readonly logger: Logger, private readonly prefix: string, private readonly logPeriodMs = DEFAULT_LOG_PERIOD_MS) {}

  /** `log: false` counts without the rate-limited line (a drop its caller reports its own way, or not at all). */
  count(reason: RuntimeDropReason, from: string, now: number, { log = true }: { log?: boolean } = {}): void {
    const total = (this.counts[reason] ?? 0) + 1;
    this.counts[reason] = total;
    if (!log) return;
    const last = this.#lastLogged.get(reason);
    if (last !== undefined && now - last.at < this.logPeriodMs) return;
    const since = last === undefined ? 1 : total - last.countThen;
    this.#lastLogged.set(reason, { at: now, countThen: total });
    this.logger.warn({ reason, from, total }, `${this.prefix}dropped advert from ${from}: ${reason} (${since} since last report, ${total} in all)`);
  }

  total(): number {
    let sum = 0;
    for (const value of Object.values(this.counts)) sum += value ?? 0;
    return sum;
  }
}
