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

// ---- the VRRP child's farewells, sent by the supervisor's handler (native/farewell.c) ----------
// Waking the child costs ~0.3 ms on a 2-vCPU VM after the supervisor's handler has run; the
// supervisor sends the child's armed priority-0 adverts itself first, through the child's own
// sockets, and the child only counts them. The child says where its table is; the supervisor
// watches it while that child lives. Where the kernel refuses (no pidfd_getfd, no ptrace rights),
// the child sends them as before.

/** The VRRP child's message to the supervisor: the address of its farewell table. */
export interface FarewellTableMessage {
  readonly kind: 'farewell-table';
  readonly table: string;
  /** The addon build's idea of the table (the supervisor refuses a child of another build). */
  readonly layout: string;
}

export function isFarewellTableMessage(message: unknown): message is FarewellTableMessage {
  const m = message as Partial<FarewellTableMessage> | null;
  return typeof m === 'object' && m !== null && m.kind === 'farewell-table' && typeof m.table === 'string' && /^\d+$/.test(m.table) &&
    typeof m.layout === 'string';
}

/** Child side: tells the supervisor (if any) where this process's farewell table is. */
export function publishFarewellTable(): void {
  if (process.send === undefined) return;
  try {
    const { table, layout } = native().farewellTable();
    process.send({ kind: 'farewell-table', table: String(table), layout } satisfies FarewellTableMessage);
  } catch {
    // no addon or no channel: the child sends its farewells itself
  }
}

let watchedPid: number | undefined;

/** Supervisor side: a TERM/INT from now on sends child `pid`'s armed farewells first. False when refused. */
export function watchChildFarewells(pid: number, message: FarewellTableMessage): boolean {
  try {
    native().watchFarewells(pid, BigInt(message.table), message.layout);
    watchedPid = pid;
    return true;
  } catch {
    return false;
  }
}

/** Supervisor side: child `pid` is gone; its table is not read any more. */
export function forgetChildFarewells(pid: number): void {
  if (watchedPid !== pid) return;
  watchedPid = undefined;
  try {
    native().watchFarewells(0, 0n, '');
  } catch {
    // nothing was watched
  }
}
