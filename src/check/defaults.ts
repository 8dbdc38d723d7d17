// keepalived's per-checker defaults (keepalived.conf(5), real_server and checker sections):
// delay_loop 60 s, connect_timeout 5 s, retry 1 (DNS_CHECK 3, MISC_CHECK 0), delay_before_retry
// 3 s for HTTP_GET/SSL_GET, delay_loop for DNS_CHECK and 1 s otherwise, warmup = delay_loop,
// misc_timeout = delay_loop. Settings given at checker level win over real server level, which
// win over virtual server level.
import type { CheckTiming, CheckerKind } from './types.js';

export const DEFAULT_DELAY_LOOP_MS = 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Timing settings as written in the config, in ms, at one level (any may be missing). */
export interface TimingSettings {
  readonly delayLoopMs?: number;
  readonly retry?: number;
  readonly delayBeforeRetryMs?: number;
  readonly warmupMs?: number;
  readonly alpha?: boolean;
}

export function defaultRetry(kind: CheckerKind): number {
  if (kind === 'DNS_CHECK') return 3;
  if (kind === 'MISC_CHECK') return 0;
  return 1;
}

export function defaultDelayBeforeRetryMs(kind: CheckerKind, delayLoopMs: number): number {
  if (kind === 'DNS_CHECK') return delayLoopMs;
  if (kind === 'HTTP_GET' || kind === 'SSL_GET') return 3_000;
  return 1_000;
}

/** Resolves a checker's timing from its own settings, then its real server's, then its virtual server's. */
export function resolveTiming(kind: CheckerKind, ...levels: readonly TimingSettings[]): CheckTiming {
  const pick = <K extends keyof TimingSettings>(key: K): TimingSettings[K] => levels.find((level) => level[key] !== undefined)?.[key];
  const delayLoopMs = pick('delayLoopMs') ?? DEFAULT_DELAY_LOOP_MS;
  return {
    delayLoopMs,
    retry: pick('retry') ?? defaultRetry(kind),
    delayBeforeRetryMs: pick('delayBeforeRetryMs') ?? defaultDelayBeforeRetryMs(kind, delayLoopMs),
    warmupMs: pick('warmupMs') ?? delayLoopMs,
    alpha: pick('alpha') ?? false,
  };
}
