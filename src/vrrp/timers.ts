// VRRP timer arithmetic: Skew_Time and Master_Down_Interval per protocol version.
//
//   v2 (RFC 3768 §6.1): Skew_Time = (256 − Priority) / 256 seconds, whatever the advert interval.
//   v3 (RFC 5798 §6.1, RFC 9568 §6.1): Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256.
//   Both: Master_Down_Interval = down_timer_adverts × Master_Adver_Interval + Skew_Time, where the
//   RFCs fix down_timer_adverts at 3 and keepalived lets it range over 1..100.
//
// Rounding, chosen on purpose: the RFCs state v3 in integer centiseconds, and truncating there makes
// the skew 0 for every priority at a 10 ms interval ((256 − p) × 1 / 256 < 1), so all backups would
// fire together after a priority-0 advert. We compute in integer microseconds and truncate, which
// is what keepalived does (its timers are microseconds): priority 100 at 10 ms gives 6.093 ms, at
// 1 s 609.375 ms. Results are returned in (possibly fractional) milliseconds.

import type { VrrpVersion } from './types.js';

const MICROSECONDS_PER_MS = 1000;
const MICROSECONDS_PER_SECOND = 1_000_000;

/** Skew_Time in milliseconds for our priority and the master's advert interval. */
export function skewTimeMs(version: VrrpVersion, priority: number, masterAdverIntervalMs: number): number {
  const spanUs = version === 2 ? MICROSECONDS_PER_SECOND : Math.round(masterAdverIntervalMs * MICROSECONDS_PER_MS);
  return Math.floor(((256 - priority) * spanUs) / 256) / MICROSECONDS_PER_MS;
}

/** Master_Down_Interval in milliseconds: how long a backup waits without adverts. */
export function masterDownIntervalMs(
  version: VrrpVersion,
  priority: number,
  masterAdverIntervalMs: number,
  downTimerAdverts: number,
): number {
  return downTimerAdverts * masterAdverIntervalMs + skewTimeMs(version, priority, masterAdverIntervalMs);
}
