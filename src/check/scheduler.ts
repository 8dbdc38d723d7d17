// The timers shell around health-state.ts: runs every checker of every real server on its own
// timer (warmup, then delay_loop or delay_before_retry after each check finishes), so a slow or
// hung check only ever delays itself; each check is bounded by its own timeout. It reports real
// server state changes, keeps a short history per real server and measures how late checks start.
import { setMaxListeners } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../common/latency-histogram.js';
import { initialCheckerHealth, serverHealth, stepChecker, type CheckerHealth, type ServerHealth } from './health-state.js';
import { runCheck } from './run-check.js';
import type { CheckResult, CheckTiming, CheckerSpec, RealServerTarget } from './types.js';

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

export interface HistoryEntry {
  /** performance.now() when the check finished. */
  readonly atMs: number;
  readonly kind: CheckerSpec['kind'];
  readonly ok: boolean;
  readonly reason: string;
  readonly latencyMs: number;
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
}

interface CheckerSlot {
  readonly check: ScheduledCheck;
  health: CheckerHealth;
  timer: NodeJS.Timeout | undefined;
  dueMs: number;
  running: boolean;
  /** The tracked file changed while its check was running: check again right after. */
  recheck: boolean;
  /** FILE_CHECK: re-check as soon as the tracked file changes, as keepalived does (inotify). */
  watcher?: FSWatcher;
}

interface ServerSlot {
  readonly server: MonitoredServer;
  readonly checkers: CheckerSlot[];
  readonly history: HistoryEntry[];
  health: ServerHealth;
  readonly abort: AbortController;
}

export const DEFAULT_HISTORY_LENGTH = 16;

export class CheckScheduler {
  /** How late checks start against their planned moment (timer lateness under load). */
  readonly startDrift = new LatencyHistogram([1, 2, 5, 10, 20, 30, 40, 50, 75, 100, 250, 500, 1000]);
  readonly #servers = new Map<string, ServerSlot>();
  readonly #options: SchedulerOptions;
  readonly #run: NonNullable<SchedulerOptions['runCheck']>;
  readonly #random: () => number;
  #inFlight = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#run = options.runCheck ?? runCheck;
    this.#random = options.random ?? Math.random;
  }

  /** Checks currently running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Starts monitoring a real server: each checker first runs after a random part of its warmup. */
  add(server: MonitoredServer): void {
    this.remove(server.target.id);
    const checkers: CheckerSlot[] = server.checks.map((check) => ({
      check,
      health: initialCheckerHealth(check.timing),
      timer: undefined,
      dueMs: 0,
      running: false,
      recheck: false,
    }));
    const slot: ServerSlot = {
      server,
      checkers,
      history: [],
      health: serverHealth(checkers.map((c) => c.health), server.target.weight ?? 1),
      abort: new AbortController(),
    };
    // Every running check of the server listens to this signal: many at once is normal, not a leak.
    setMaxListeners(0, slot.abort.signal);
    this.#servers.set(server.target.id, slot);
    for (const checker of checkers) {
      this.#arm(slot, checker, this.#random() * checker.check.timing.warmupMs);
      if (checker.check.spec.kind === 'FILE_CHECK') this.#watchFile(slot, checker, checker.check.spec.path);
    }
  }

  /** Stops monitoring a real server; its running checks are aborted. */
  remove(targetId: string): void {
    const slot = this.#servers.get(targetId);
    if (!slot) return;
    this.#servers.delete(targetId);
    slot.abort.abort();
    for (const checker of slot.checkers) {
      clearTimeout(checker.timer);
      checker.watcher?.close();
    }
  }

  stop(): void {
    for (const id of [...this.#servers.keys()]) this.remove(id);
  }

  health(targetId: string): ServerHealth | undefined {
    return this.#servers.get(targetId)?.health;
  }

  history(targetId: string): readonly HistoryEntry[] {
    return this.#servers.get(targetId)?.history ?? [];
  }

  #arm(slot: ServerSlot, checker: CheckerSlot, delayMs: number): void {
    const jitter = this.#options.jitterMs ? this.#random() * this.#options.jitterMs : 0;
    const wait = Math.max(0, delayMs + jitter);
    checker.dueMs = performance.now() + wait;
    checker.timer = setTimeout(() => void this.#fire(slot, checker), wait);
  }

  /** Watches the directory, so a file that is replaced (written to a temporary, renamed) is seen too. */
  #watchFile(slot: ServerSlot, checker: CheckerSlot, path: string): void {
    try {
      checker.watcher = watch(dirname(path), (_event, name) => {
        if (name !== basename(path) || slot.abort.signal.aborted) return;
        if (checker.running) {
          checker.recheck = true;
          return;
        }
        clearTimeout(checker.timer);
        checker.timer = undefined;
        checker.dueMs = performance.now();
        void this.#fire(slot, checker);
      });
      checker.watcher.on('error', () => checker.watcher?.close());
    } catch {
      // No such directory: the file is still read every delay_loop.
    }
  }

  async #fire(slot: ServerSlot, checker: CheckerSlot): Promise<void> {
    checker.timer = undefined;
    checker.running = true;
    this.startDrift.observe(Math.max(0, performance.now() - checker.dueMs));
    const { target } = slot.server;
    this.#inFlight++;
    const result = await this.#run(checker.check.spec, target, slot.abort.signal).catch(
      (error: unknown): CheckResult => ({ ok: false, reason: String(error), latencyMs: 0 }),
    );
    this.#inFlight--;
    checker.running = false;
    if (slot.abort.signal.aborted) return;
    this.#options.onResult?.(target, checker.check.spec, result);
    this.#record(slot, checker.check.spec.kind, result);
    const step = stepChecker(checker.health, result, checker.check.timing);
    checker.health = step.health;
    const before = slot.health;
    slot.health = serverHealth(slot.checkers.map((c) => c.health), target.weight ?? 1);
    if (before.up !== slot.health.up || (slot.health.up && before.weight !== slot.health.weight)) {
      this.#options.onChange({ target, state: slot.health.up ? 'up' : 'down', weight: slot.health.weight, reason: slot.health.reason });
    }
    this.#arm(slot, checker, checker.recheck ? 0 : step.nextDelayMs);
    checker.recheck = false;
  }

  #record(slot: ServerSlot, kind: CheckerSpec['kind'], result: CheckResult): void {
    slot.history.push({ atMs: performance.now(), kind, ok: result.ok, reason: result.reason, latencyMs: result.latencyMs });
    const limit = this.#options.historyLength ?? DEFAULT_HISTORY_LENGTH;
    if (slot.history.length > limit) slot.history.splice(0, slot.history.length - limit);
  }
}
