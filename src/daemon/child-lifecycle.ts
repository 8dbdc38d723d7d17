// The child side of the process model: a VRRP or checker process reacts to the operator's signals
// (sent to it directly or forwarded by the supervisor) and stops itself when its supervisor goes
// away (the IPC channel closes), so a crashed parent never leaves orphans holding VIPs.
import { JSON_DUMP_SIGNAL } from './dump-signals.js';
import type { EarlySignals } from './early-signals.js';

export interface ChildHandlers {
  /** Stop cleanly: priority-0 adverts, VIPs and IPVS entries removed per the release flags. */
  readonly stop: (reason: string) => Promise<void>;
  readonly reload?: () => Promise<void>;
  readonly dumpState?: () => void;
  readonly dumpStats?: () => void;
  /** keepalived's JSON signal (JSON_DUMP_SIGNAL): handled by every child so that none dies of it. */
  readonly dumpJson?: () => void;
}

/**
 * Binds the lasting listeners. `early`: the listeners the child set at its first line; they are
 * released once these are in place (no moment without one), and what they caught is acted on now.
 */
export function bindChildLifecycle(handlers: ChildHandlers, onError: (error: unknown) => void, early?: EarlySignals): void {
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    handlers.stop(reason).then(
      () => process.exit(0),
      (error) => {
        onError(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('supervisor exited'));
  let reloading = Promise.resolve();
  const reload = (): void => {
    // Reloads are serialised: a second HUP waits for the first to finish.
    reloading = reloading.then(() => handlers.reload?.()).catch(onError);
  };
  process.on('SIGHUP', reload);
  process.on('SIGUSR1', () => handlers.dumpState?.());
  process.on('SIGUSR2', () => handlers.dumpStats?.());
  process.on(JSON_DUMP_SIGNAL, () => handlers.dumpJson?.());
  if (early === undefined) return;
  early.release();
  if (early.stopReason !== undefined) stop(early.stopReason);
  else if (early.reloadRequested) reload();
}
