// vrrp_script: runs a check script every `interval` and turns its exit codes into up/down through
// the rise/fall counter (script-health.ts). Exit 0 is success; any other exit, a signal, a failure
// to start and a timeout (default timeout = interval) are failures. A run whose process is still
// alive when the next interval comes (a timed-out script being killed) makes that run be skipped,
// as keepalived does ("expect idle - skipping run"), so a hanging script never piles up processes.
//
// Wiring (see tracker.ts for the per-instance status):
//   const tracker = new ScriptTracker({ name: 'chk_nginx', argv: ['/etc/keepalived/chk.sh'], intervalMs: 2000,
//                                       rise: 2, fall: 3, initFail: false, runner, identity: { uid, gid } });
//   tracker.on('change', (state) => ...); tracker.on('result', (outcome) => log...); tracker.start();
import { EventEmitter } from 'node:events';
import { scriptSucceeded, type ScriptOutcome, type ScriptRunner } from '../../common/script-runner.js';
import { initialHealth, isHealthy, recordResult, type ScriptHealth } from './script-health.js';
import type { Tracker, TrackerEvents, TrackerState } from './tracker.js';

export interface ScriptTrackerOptions {
  readonly name: string;
  readonly argv: readonly string[];
  /** Run as; absent = this process's user. */
  readonly identity?: { readonly uid: number; readonly gid: number };
  readonly intervalMs: number;
  /** Default: the interval. */
  readonly timeoutMs?: number;
  readonly rise: number;
  readonly fall: number;
  readonly initFail: boolean;
  readonly runner: ScriptRunner;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ScriptTrackerEvents extends TrackerEvents {
  /** Every finished run, for logs and counters. */
  result: [outcome: ScriptOutcome];
  /** An interval came while the previous run's process was still alive. */
  skipped: [];
}

export class ScriptTracker extends EventEmitter<ScriptTrackerEvents> implements Tracker {
  readonly name: string;
  readonly #options: ScriptTrackerOptions;
  #health: ScriptHealth;
  #state: TrackerState;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #running = false;

  constructor(options: ScriptTrackerOptions) {
    super();
    this.name = options.name;
    this.#options = options;
    this.#health = initialHealth(options.rise, options.fall, options.initFail);
    this.#state = { name: this.name, up: isHealthy(this.#health) };
  }

  get state(): TrackerState {
    return this.#state;
  }

  /** Runs the script now and then every interval. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => this.#tick(), this.#options.intervalMs);
    if (this.#busy) {
      this.emit('skipped');
      return;
    }
    this.#busy = true;
    const run = this.#options.runner.start({
      argv: this.#options.argv,
      timeoutMs: this.#options.timeoutMs ?? this.#options.intervalMs,
      ...(this.#options.identity ? { uid: this.#options.identity.uid, gid: this.#options.identity.gid } : {}),
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    void run.exited.then(() => (this.#busy = false));
    void run.outcome.then((outcome) => {
      if (!this.#running) return;
      this.emit('result', outcome);
      this.#record(scriptSucceeded(outcome));
    });
  }

  #record(success: boolean): void {
    this.#health = recordResult(this.#health, success);
    const up = isHealthy(this.#health);
    if ('up' in this.#state && this.#state.up === up) return;
    this.#state = { name: this.name, up };
    this.emit('change', this.#state);
  }
}
