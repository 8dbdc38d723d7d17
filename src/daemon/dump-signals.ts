// keepalived's --signum table: the signal a SIGFUNC name maps to, as `kill -s $(keepalived
// --signum=JSON) PID` expects. keepalived 2.2.7 uses real-time signals for JSON (SIGRTMIN+2) and
// STATS_CLEAR (SIGRTMAX-1); Node cannot install a handler for real-time signals (one would kill
// the daemon), so JSON maps to SIGPWR, which nothing else sends to a daemon, and STATS_CLEAR is
// refused: the counters are monotonic for Prometheus and are never cleared.
import { constants } from 'node:os';

/** The signal the JSON dump is requested with (forwarded by the supervisor to the VRRP process). */
export const JSON_DUMP_SIGNAL = 'SIGPWR' as const;

const SIGFUNCS: Readonly<Record<string, NodeJS.Signals>> = {
  STOP: 'SIGTERM',
  RELOAD: 'SIGHUP',
  DATA: 'SIGUSR1',
  STATS: 'SIGUSR2',
  JSON: JSON_DUMP_SIGNAL,
};

const REFUSED: Readonly<Record<string, string>> = {
  STATS_CLEAR: 'STATS_CLEAR is not supported: keepalived-ts counters are never cleared (Prometheus counters must not go back)',
};

export type SignumResult = { readonly ok: true; readonly number: number } | { readonly ok: false; readonly error: string };

export function signalNumberFor(sigfunc: string): SignumResult {
  const signal = SIGFUNCS[sigfunc];
  if (signal !== undefined) return { ok: true, number: constants.signals[signal] };
  return { ok: false, error: REFUSED[sigfunc] ?? `Unknown sigfunc ${sigfunc}` };
}
