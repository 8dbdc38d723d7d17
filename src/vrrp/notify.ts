// Notifications of VRRP state changes: notify scripts and notify FIFOs, for instances and sync
// groups, as keepalived 2.2.7 does them (keepalived.conf(5) and measured):
//   - on a transition to MASTER / BACKUP / FAULT / STOP (DELETED on reload) the FIFO line is written
//     at once, then the state's own script (notify_master ...) runs with its configured arguments
//     only, then the generic `notify` script with four more: INSTANCE|GROUP, name, state, priority;
//   - an instance reports its effective priority at the time; a group always 0;
//   - notify_master_rx_lower_pri runs (with its own arguments only) and MASTER_RX_LOWER_PRI is
//     written every time a master receives a lower-priority advert;
//   - scripts never block the loop; the notifications of one instance or group run in order: a
//     notification's scripts start when the previous notification's scripts of the same name have
//     exited (or after `orderWaitMs`, so that one hanging script cannot hold back the rest for
//     ever; keepalived itself neither waits nor kills notify scripts). Within one notification the
//     state's script and `notify` are started one after the other and run side by side.
//
// Wiring in the VRRP runtime:
//   const notifier = new Notifier({ runner, fifos: [await NotifyFifo.open(path)], instances, groups });
//   runtime = new VrrpRuntime({ ..., onTransition: (name, transition, priority) => notifier.instanceTransition(name, transition.to, priority) });
//   on the fsm's masterReceivedLowerPriority effect: notifier.masterReceivedLowerPriority(name, priority);
//   sync groups: notifier.groupTransition(group, to);
import { EventEmitter } from 'node:events';
import { describeOutcome, scriptSucceeded, type ScriptOutcome, type ScriptRunner } from '../common/script-runner.js';
import { notifyArguments, type FifoEventName, type NotifyEvent, type NotifyState } from './notify-fifo-line.js';
import type { VrrpStateName } from './types.js';

/** A script ready to run: argv (script-command.ts) and who runs it. */
export interface NotifyScript {
  readonly argv: readonly string[];
  readonly identity?: { readonly uid: number; readonly gid: number };
}

/** The notify_* settings of one vrrp_instance or vrrp_sync_group. */
export interface NotifyScripts {
  readonly master?: NotifyScript;
  readonly backup?: NotifyScript;
  readonly fault?: NotifyScript;
  readonly stop?: NotifyScript;
  readonly deleted?: NotifyScript;
  /** The generic `notify`. */
  readonly any?: NotifyScript;
  readonly masterRxLowerPri?: NotifyScript;
}

/** Anything that takes notify events in order (NotifyFifo). */
export interface NotifySink {
  write(event: NotifyEvent): void;
}

export interface NotifierOptions {
  readonly runner: ScriptRunner;
  readonly fifos?: readonly NotifySink[];
  readonly instances?: ReadonlyMap<string, NotifyScripts>;
  readonly groups?: ReadonlyMap<string, NotifyScripts>;
  /** Instances whose priority changes are written to the FIFOs (notify_priority_changes). */
  readonly priorityChanges?: ReadonlySet<string>;
  /** Longest wait for a name's previous scripts before the next ones start anyway. Default 10 s. */
  readonly orderWaitMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface NotifierEvents {
  /** Every notify script that finished (or could not start), for logs. */
  script: [detail: { readonly event: NotifyEvent; readonly argv: readonly string[]; readonly outcome: ScriptOutcome; readonly ok: boolean; readonly summary: string }];
}

const STATE_SCRIPT: Readonly<Record<NotifyState, keyof NotifyScripts>> = {
  MASTER: 'master',
  BACKUP: 'backup',
  FAULT: 'fault',
  STOP: 'stop',
  DELETED: 'deleted',
};

/** The fsm's state names that keepalived notifies about (INIT is never announced). */
export function notifyStateOf(state: VrrpStateName): NotifyState | undefined {
  return state === 'INIT' ? undefined : state;
}

export class Notifier extends EventEmitter<NotifierEvents> {
  readonly #options: NotifierOptions;
  /** Per "INSTANCE name" / "GROUP name": settles when that name's last scripts are done. */
  readonly #chains = new Map<string, Promise<void>>();
  /** Every notification whose scripts have not all finished (a chain may have moved past a hanging one). */
  readonly #inFlight = new Set<Promise<void>>();
  /** Instances a reload is removing (instanceRemoving), until their STOP. */
  readonly #removing = new Set<string>();

  constructor(options: NotifierOptions) {
    super();
    this.#options = options;
  }

  /**
   * A reload is removing the instance: its coming STOP is reported as DELETED (FIFO line, the
   * notify_deleted script, `notify` with DELETED), as keepalived 2.2.7 does (measured).
   */
  instanceRemoving(name: string): void {
    this.#removing.add(name);
  }

  instanceTransition(name: string, to: VrrpStateName, priority: number): void {
    if (to === 'STOP' && this.#removing.delete(name)) {
      this.#notify({ subject: 'INSTANCE', name, event: 'DELETED', priority }, this.#options.instances?.get(name));
      return;
    }
    const state = notifyStateOf(to);
    if (state) this.#notify({ subject: 'INSTANCE', name, event: state, priority }, this.#options.instances?.get(name));
  }

  groupTransition(name: string, to: VrrpStateName): void {
    const state = notifyStateOf(to);
    if (state) this.#notify({ subject: 'GROUP', name, event: state, priority: 0 }, this.#options.groups?.get(name));
  }

  /**
   * fifo_write_vrrp_states_on_reload: after a reload, each sync group's state is written to the
   * FIFOs again (lines only, no scripts). keepalived 2.2.7 writes the groups' lines and none for
   * the instances (measured: with no sync group a reload writes nothing).
   */
  writeGroupStates(states: Iterable<readonly [string, VrrpStateName]>): void {
    for (const [name, to] of states) {
      const state = notifyStateOf(to);
      if (state) this.#writeFifos({ subject: 'GROUP', name, event: state, priority: 0 });
    }
  }

  masterReceivedLowerPriority(name: string, priority: number): void {
    const event: NotifyEvent = { subject: 'INSTANCE', name, event: 'MASTER_RX_LOWER_PRI', priority };
    this.#writeFifos(event);
    const script = this.#options.instances?.get(name)?.masterRxLowerPri;
    if (script) this.#enqueue(event, [{ script, argv: script.argv }]);
  }

  /**
   * notify_priority_changes: FIFO lines only, no scripts. keepalived 2.2.7 writes BACKUP_PRIORITY
   * for any state but MASTER, also for the tracked priority set before the first state line.
   */
  priorityChanged(name: string, state: VrrpStateName, priority: number): void {
    if (!this.#options.priorityChanges?.has(name)) return;
    const event: FifoEventName = state === 'MASTER' ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY';
    this.#writeFifos({ subject: 'INSTANCE', name, event, priority });
  }

  /** Resolves when every script started so far has finished (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #notify(event: NotifyEvent, scripts: NotifyScripts | undefined): void {
    this.#writeFifos(event);
    if (!scripts) return;
    const runs: { script: NotifyScript; argv: readonly string[] }[] = [];
    const own = scripts[STATE_SCRIPT[event.event as NotifyState]];
    if (own) runs.push({ script: own, argv: own.argv });
    if (scripts.any) runs.push({ script: scripts.any, argv: [...scripts.any.argv, ...notifyArguments(event)] });
    if (runs.length > 0) this.#enqueue(event, runs);
  }

  #writeFifos(event: NotifyEvent): void {
    for (const fifo of this.#options.fifos ?? []) fifo.write(event);
  }

  #enqueue(event: NotifyEvent, runs: readonly { script: NotifyScript; argv: readonly string[] }[]): void {
    const key = `${event.subject} ${event.name}`;
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const waitMs = this.#options.orderWaitMs ?? 10_000;
    const next = bounded(previous, waitMs).then(async () => {
      // The state's script is started first and `notify` right after, without waiting for it (as keepalived).
      await Promise.all(runs.map(({ script, argv }) => this.#run(event, script, argv)));
    });
    this.#chains.set(key, next);
    this.#inFlight.add(next);
    void next.then(() => {
      this.#inFlight.delete(next);
      if (this.#chains.get(key) === next) this.#chains.delete(key);
    });
  }

  async #run(event: NotifyEvent, script: NotifyScript, argv: readonly string[]): Promise<void> {
    const outcome = await this.#options.runner.run({
      argv,
      ...(script.identity ? { uid: script.identity.uid, gid: script.identity.gid } : {}),
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    this.emit('script', { event, argv, outcome, ok: scriptSucceeded(outcome), summary: describeOutcome(outcome) });
  }
}

function bounded(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
