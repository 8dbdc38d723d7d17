// SIGTERM for the supervisor's children straight from the signal handler (native/signal-forward.c):
// `kill -TERM <parent>` reaches the VRRP child ~0.5 ms sooner than through Node's delivery and the
// JS listener (measured on the wire: the priority-0 adverts leave that much earlier). The JS listener
// still runs and signals the children again, which they ignore (their stop is under way).
// Installed only once the process listens for SIGTERM itself: the handler runs the replaced one after.
import { constants } from 'node:os';
import { native } from '../sys/native.js';

let installed = false;

/** From now on a SIGTERM to this process is passed to `pids` before anything else runs. */
export function forwardTerminationTo(pids: readonly number[]): void {
  if (!installed && (pids.length === 0 || process.listenerCount('SIGTERM') === 0)) return;
  try {
    native().forwardSignal(constants.signals.SIGTERM, pids.slice(0, 8));
    installed = true;
  } catch {
    // No addon (or a bad pid): the JS listener forwards the signal as before.
  }
}
