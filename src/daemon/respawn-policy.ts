// When to restart a child that died: exponential back-off that resets once a child has stayed up
// long enough, so a crash loop slows down but a rare crash restarts at once.

export interface RespawnPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A child that ran at least this long before dying counts as healthy: back-off resets. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESPAWN_POLICY: RespawnPolicy = { initialDelayMs: 250, maxDelayMs: 30_000, stableAfterMs: 60_000 };

export interface RespawnState {
  /** Consecutive quick deaths so far. */
  readonly failures: number;
}

export function nextRespawn(policy: RespawnPolicy, state: RespawnState, uptimeMs: number): { delayMs: number; state: RespawnState } {
  const failures = uptimeMs >= policy.stableAfterMs ? 0 : state.failures + 1;
  const delayMs = failures === 0 ? policy.initialDelayMs : Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (failures - 1));
  return { delayMs, state: { failures } };
}
