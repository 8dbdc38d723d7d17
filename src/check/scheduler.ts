// The timers shell around health-state.ts: runs every checker of every real server (warmup, then
// delay_loop or delay_before_retry after each check finishes), each check bounded by its own
// timeout, so a slow or hung check only ever delays itself. It reports real server state changes,
// keeps a short history per real server and measures how late checks start.
//
// Built to stay on time with thousands of checks a second on a busy host:
// - one deadline queue (scheduler-queue.ts) and one wake-up timer, instead of a timer per checker;
// - checks that a busy loop started late together are spread out again over their lateness:
//   otherwise every stall would leave the checks it delayed starting together from then on,
//   bunches grow with each stall, and each bunch stalls the loop in turn;
// - at most `maxStartsPerTurn` checks start per event-loop turn (the rest right after pending I/O)
//   and at most `maxInFlight` run at once, in due order;
// - steady results allocate little: the history is a ring of columns, and a checker whose health
//   did not change skips the server's health computation.
import { setMaxListeners } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LatencyHistogram } from '../common/latency-histogram.js';
import { initialCheckerHealth, serverHealth, stepChecker, type CheckerHealth, type ServerHealth } from './health-state.js';
import { runCheck } from './run-check.js';
import { DeadlineQueue, type QueueEntry } from './scheduler-queue.js';
import { HistoryRing, type HistoryEntry } from './scheduler-history.js';
import type { CheckResult, CheckTiming, CheckerSpec, RealServerTarget } from './types.js';

export type { HistoryEntry } from './scheduler-history.js';

export interface ScheduledCheck {
  readonly spec: CheckerSpec;
  readonly timing: CheckTiming;
}

export interface MonitoredServer {
  readonly target: RealServerTarget;
  readonly checks: readonly ScheduledCheck[];
}

export interface HealthChange {
  readonly target: RealServerTarget;
  readonly state: 'up' | 'down';
  readonly weight: number;
  readonly reason: string;
}

export interface SchedulerOptions {
  /** Real server state or weight changed. */
  readonly onChange: (change: HealthChange) => void;
  /** Every finished check (for logs and metrics). */
  readonly onResult?: (target: RealServerTarget, spec: CheckerSpec, result: CheckResult) => void;
  /** Replaceable for tests of the shell; the real checkers by default. */
  readonly runCheck?: (spec: CheckerSpec, target: RealServerTarget, signal: AbortSignal) => Promise<CheckResult>;
  /** Up to this many ms added at random to every delay, to spread checks that share a delay_loop. */
  readonly jitterMs?: number;
  /** Results kept per real server. */
  readonly historyLength?: number;
  readonly random?: () => number;
  /** Checks running at once (bounds open sockets); further due checks wait their turn in due order. */
  readonly maxInFlight?: number;
  /** Checks started in one event-loop turn before letting pending I/O run. */
  readonly maxStartsPerTurn?: number;
}

interface CheckerSlot extends QueueEntry {
  readonly check: ScheduledCheck;
  readonly server: ServerSlot;
  health: CheckerHealth;
  running: boolean;
  /** When the running check was planned to start and when it did (performance.now()). */
  plannedMs: number;
  startedMs: number;
  /** The tracked file changed while its check was running: check again right after. */
  recheck: boolean;
  /** FILE_CHECK: re-check as soon as the tracked file changes, as keepalived does (inotify). */
  watcher?: FSWatcher;
  /** Made once per checker, so a check in flight allocates no callbacks of ours. */
  readonly onDone: (result: CheckResult) => void;
  readonly onThrow: (error: unknown) => void;
}

interface ServerSlot {
  readonly server: MonitoredServer;
  readonly checkers: CheckerSlot[];
  readonly history: HistoryRing;
  health: ServerHealth;
  readonly abort: AbortController;
}

export const DEFAULT_HISTORY_LENGTH = 16;
export const DEFAULT_MAX_IN_FLIGHT = 8192;
export const DEFAULT_MAX_STARTS_PER_TURN = 64;
/**
 * A check due this close starts with the ones due now: Node's timers have millisecond resolution
 * and may fire a little early against performance.now(), and one more wake-up costs more than it saves.
 */
const EARLY_START_TOLERANCE_MS = 1;

export class CheckScheduler {
  /** How late checks start against their planned moment (timer lateness under load). */
  readonly startDrift = new LatencyHistogram([1, 2, 5, 10, 20, 30, 40, 50, 75, 100, 250, 500, 1000]);
  readonly #servers = new Map<string, ServerSlot>();
  readonly #queue = new DeadlineQueue<CheckerSlot>();
  readonly #options: SchedulerOptions;
  readonly #run: NonNullable<SchedulerOptions['runCheck']>;
  readonly #random: () => number;
  readonly #maxInFlight: number;
  readonly #maxStartsPerTurn: number;
  #inFlight = 0;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAtMs = Number.POSITIVE_INFINITY;
  /** A continuation of a turn that hit maxStartsPerTurn is pending. */
  #continuing = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#run = options.runCheck ?? runCheck;
    this.#random = options.random ?? Math.random;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.#maxStartsPerTurn = Math.max(1, options.maxStartsPerTurn ?? DEFAULT_MAX_STARTS_PER_TURN);
  }

  /** Checks currently running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Starts monitoring a real server: each checker first runs after a random part of its warmup. */
  add(server: MonitoredServer): void {
    this.remove(server.target.id);
    const slot: ServerSlot = {
      server,
      checkers: [],
      history: new HistoryRing(this.#options.historyLength ?? DEFAULT_HISTORY_LENGTH),
      health: serverHealth([], server.target.weight ?? 1),
      abort: new AbortController(),
    };
    for (const check of server.checks) {
      const checker: CheckerSlot = {
        check,
        server: slot,
        health: initialCheckerHealth(check.timing),
        running: false,
        plannedMs: 0,
        startedMs: 0,
        recheck: false,
        dueMs: 0,
        heapIndex: -1,
        sequence: 0,
        onDone: (result) => this.#finish(checker, result),
        onThrow: (error) => this.#finish(checker, { ok: false, reason: String(error), latencyMs: 0 }),
      };
      slot.checkers.push(checker);
    }
    slot.health = serverHealth(slot.checkers.map((c) => c.health), server.target.weight ?? 1);
    // Every running check of the server listens to this signal: many at once is normal, not a leak.
    setMaxListeners(0, slot.abort.signal);
    this.#servers.set(server.target.id, slot);
    const now = performance.now();
    for (const checker of slot.checkers) {
      this.#enqueue(checker, now + this.#random() * checker.check.timing.warmupMs);
      if (checker.check.spec.kind === 'FILE_CHECK') this.#watchFile(checker, checker.check.spec.path);
    }
    this.#wake();
  }

  /** Stops monitoring a real server; its running checks are aborted. */
  remove(targetId: string): void {
    const slot = this.#servers.get(targetId);
    if (!slot) return;
    this.#servers.delete(targetId);
    slot.abort.abort();
    for (const checker of slot.checkers) {
      this.#queue.remove(checker);
      checker.watcher?.close();
    }
    if (this.#queue.size === 0) this.#cancelWake();
  }

  stop(): void {
    for (const id of [...this.#servers.keys()]) this.remove(id);
    this.#cancelWake();
  }

  health(targetId: string): ServerHealth | undefined {
    return this.#servers.get(targetId)?.health;
  }

  history(targetId: string): readonly HistoryEntry[] {
    return this.#servers.get(targetId)?.history.entries() ?? [];
  }

  #enqueue(checker: CheckerSlot, dueMs: number): void {
    const jitter = this.#options.jitterMs ? this.#random() * this.#options.jitterMs : 0;
    this.#queue.push(checker, dueMs + jitter);
  }

  /** Makes sure the wake-up timer fires when the first queued check is due. */
  #wake(): void {
    if (this.#continuing || this.#inFlight >= this.#maxInFlight) return;
    const first = this.#queue.peek();
    if (first === undefined) return;
    if (this.#wakeTimer !== undefined && this.#wakeAtMs <= first.dueMs) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeAtMs = first.dueMs;
    this.#wakeTimer = setTimeout(this.#onWake, Math.max(0, first.dueMs - performance.now()));
  }

  #cancelWake(): void {
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    this.#wakeAtMs = Number.POSITIVE_INFINITY;
  }

  readonly #onWake = (): void => {
    this.#wakeTimer = undefined;
    this.#wakeAtMs = Number.POSITIVE_INFINITY;
    this.#startDue();
  };

  readonly #onContinue = (): void => {
    this.#continuing = false;
    this.#startDue();
  };

  /** Starts the checks that are due, in due order, within this turn's budget. */
  #startDue(): void {
    let started = 0;
    let now = performance.now();
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || next.dueMs > now + EARLY_START_TOLERANCE_MS || this.#inFlight >= this.#maxInFlight) break;
      if (started === this.#maxStartsPerTurn) {
        this.#continuing = true;
        setImmediate(this.#onContinue);
        return;
      }
      this.#queue.pop();
      this.#start(next, now);
      started++;
      now = performance.now();
    }
    this.#wake();
  }

  #start(checker: CheckerSlot, now: number): void {
    const slot = checker.server;
    checker.running = true;
    checker.plannedMs = checker.dueMs;
    checker.startedMs = now;
    this.startDrift.observe(Math.max(0, now - checker.dueMs));
    this.#inFlight++;
    let pending: Promise<CheckResult>;
    try {
      pending = this.#run(checker.check.spec, slot.server.target, slot.abort.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(checker.onDone, checker.onThrow);
  }

  #finish(checker: CheckerSlot, result: CheckResult): void {
    const slot = checker.server;
    const wasFull = this.#inFlight >= this.#maxInFlight;
    this.#inFlight--;
    checker.running = false;
    if (!slot.abort.signal.aborted) this.#settle(checker, result);
    if (wasFull) this.#startDue();
    else this.#wake();
  }

  #settle(checker: CheckerSlot, result: CheckResult): void {
    const slot = checker.server;
    const { target } = slot.server;
    const { spec, timing } = checker.check;
    const finishedMs = performance.now();
    this.#options.onResult?.(target, spec, result);
    slot.history.record(finishedMs, spec.kind, result);
    const step = stepChecker(checker.health, result, timing);
    if (step.health !== checker.health) {
      checker.health = step.health;
      const before = slot.health;
      slot.health = serverHealth(slot.checkers.map((c) => c.health), target.weight ?? 1);
      if (before.up !== slot.health.up || (slot.health.up && before.weight !== slot.health.weight)) {
        this.#options.onChange({ target, state: slot.health.up ? 'up' : 'down', weight: slot.health.weight, reason: slot.health.reason });
      }
    }
    if (checker.recheck) {
      checker.recheck = false;
      this.#enqueue(checker, finishedMs);
      return;
    }
    // Checks that a stall made start late together would stay together: each gets a random part of
    // its own lateness added to the delay, which spreads them out again as widely as they were
    // planned, and never asks more of a loop that is already behind (keepalived's delay counts from
    // the end of a check too).
    const delay = step.nextDelayMs;
    const lateness = Math.min(checker.startedMs - checker.plannedMs, delay);
    this.#enqueue(checker, finishedMs + delay + (lateness > 0 ? this.#random() * lateness : 0));
  }

  /** Watches the directory, so a file that is replaced (written to a temporary, renamed) is seen too. */
  #watchFile(checker: CheckerSlot, path: string): void {
    const slot = checker.server;
    try {
      checker.watcher = watch(dirname(path), (_event, name) => {
        if (name !== basename(path) || slot.abort.signal.aborted) return;
        if (checker.running) {
          checker.recheck = true;
          return;
        }
        this.#queue.remove(checker);
        this.#enqueue(checker, performance.now());
        this.#startDue();
      });
      checker.watcher.on('error', () => checker.watcher?.close());
    } catch {
      // No such directory: the file is still read every delay_loop.
    }
  }
}
