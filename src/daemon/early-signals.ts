// A child listens for the operator's signals from its first line, not only once it is running.
// Without a listener Node applies the default action, which for TERM, INT, HUP, USR1, USR2 and PWR
// is to die: a child signalled while it starts (reading its config, programming IPVS, waiting out
// vrrp_startup_delay) would leave its pid file, and the checker its IPVS entries, behind. The
// supervisor also signals a child twice on stop (native forward, then its JS listener), so a
// `process.once` listener is not enough either: the second TERM would find none.
// Until bindChildLifecycle takes over, a stop or a reload is only remembered; dumps are ignored
// (there is nothing to dump yet).
import { JSON_DUMP_SIGNAL } from './dump-signals.js';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const IGNORED_SIGNALS = ['SIGUSR1', 'SIGUSR2', JSON_DUMP_SIGNAL] as const;

export interface EarlySignals {
  /** The first stop signal received so far, if any. */
  readonly stopReason: string | undefined;
  /** Whether a SIGHUP arrived before the lifecycle was bound. */
  readonly reloadRequested: boolean;
  /** Resolves with the stop signal's name when one arrives (at once if one already has). */
  readonly stopRequested: Promise<string>;
  /** Removes the early listeners: call only once the lasting ones are in place. */
  release(): void;
}

export function listenForEarlySignals(): EarlySignals {
  let stopReason: string | undefined;
  let reloadRequested = false;
  let resolveStop: (reason: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => {
    resolveStop = resolve;
  });
  const listeners: [NodeJS.Signals, () => void][] = [
    ...STOP_SIGNALS.map((signal): [NodeJS.Signals, () => void] => [signal, () => {
      stopReason ??= signal;
      resolveStop(stopReason);
    }]),
    ['SIGHUP', () => {
      reloadRequested = true;
    }],
    ...IGNORED_SIGNALS.map((signal): [NodeJS.Signals, () => void] => [signal, () => {}]),
  ];
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return {
    get stopReason() {
      return stopReason;
    },
    get reloadRequested() {
      return reloadRequested;
    },
    stopRequested,
    release() {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
