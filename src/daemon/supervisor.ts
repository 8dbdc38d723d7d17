// The parent process, as keepalived's: starts one child per subsystem the config needs (VRRP,
// checkers), forwards the operator's signals to them, restarts a child that dies (with back-off)
// unless -R, and on TERM/INT stops the children and waits for them before exiting.
// Children are Node processes with an IPC channel; when the parent dies the channel closes and
// each child stops itself (see child-lifecycle.ts), so no child outlives its supervisor.
// The same channels carry the children's requests to each other (child-relay.ts).
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../common/logger.js';
import { routeRelayMessage } from './child-relay.js';
import { DEFAULT_RESPAWN_POLICY, nextRespawn, type RespawnPolicy, type RespawnState } from './respawn-policy.js';
import { forgetChildFarewells, forwardTerminationTo, isFarewellTableMessage, watchChildFarewells } from './signal-forwarding.js';

export interface ChildSpec {
  /** 'vrrp' or 'check': used in logs and passed to the child. */
  readonly role: string;
  /** The child's entry module (compiled JS). */
  readonly modulePath: string;
  readonly args: readonly string[];
  /** The child's environment (default: this process'). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Only for the first start: extra arguments, and a message sent over the IPC channel when the
   * child asks for it with FIRST_START_REQUEST (the parent's parsed config, so that the child need
   * not parse it again before its first advert; asked for, because a message sent before the child
   * listens would be lost). A respawned child starts from `args` alone.
   */
  readonly firstStart?: { readonly args: readonly string[]; readonly message: unknown };
}

export interface SupervisorOptions {
  readonly children: readonly ChildSpec[];
  readonly respawn: boolean;
  readonly logger: Logger;
  readonly policy?: RespawnPolicy;
  /** How long children get to stop cleanly (priority 0 adverts, VIP removal) before SIGKILL. */
  readonly stopTimeoutMs?: number;
  /** Called whenever a child (re)starts, with its pid (pid files, status). */
  readonly onChildStarted?: (role: string, pid: number) => void;
  readonly onChildExited?: (role: string, pid: number, code: number | null, signal: string | null) => void;
  /** Children already forked (EarlyChild) for the first start of a role, adopted instead of forking. */
  readonly earlyChildren?: ReadonlyMap<string, EarlyChild>;
}

interface Running {
  readonly spec: ChildSpec;
  process: ChildProcess | undefined;
  startedAt: number;
  respawn: RespawnState;
  restartTimer: NodeJS.Timeout | undefined;
  starts: number;
}

/** What a child sends to get its ChildSpec.firstStart message. */
export const FIRST_START_REQUEST = 'first-start-message?';

/** HUP reload, USR1 state dump, USR2 stats dump, SIGPWR JSON dump (dump-signals.ts). */
export const FORWARDED_SIGNALS = ['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGPWR'] as const;

/**
 * A child forked before its first-start message is known: the parent forks it first thing, and
 * the child's Node start and module loading overlap the parent's own config parse (most of a cold
 * start). The child asks for the message (FIRST_START_REQUEST); it gets it once provided. A child
 * the parent turns out not to need is discarded before it has done anything.
 */
export class EarlyChild {
  readonly process: ChildProcess;
  #message: { readonly value: unknown } | undefined;
  #asked = false;

  constructor(modulePath: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.process = fork(modulePath, [...args], { stdio: 'inherit', serialization: 'json', env });
    const answer = (message: unknown): void => {
      if (message !== FIRST_START_REQUEST) return;
      this.process.off('message', answer);
      this.#asked = true;
      this.#answer();
    };
    this.process.on('message', answer);
  }

  provide(message: unknown): void {
    this.#message = { value: message };
    this.#answer();
  }

  discard(): void {
    this.process.kill('SIGKILL');
  }

  #answer(): void {
    if (this.#asked && this.#message !== undefined && this.process.connected) this.process.send(this.#message.value as object);
  }
}

export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #running = new Map<string, Running>();
  #stopping: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  start(): void {
    for (const spec of this.#options.children) {
      const entry: Running = { spec, process: undefined, startedAt: 0, respawn: { failures: 0 }, restartTimer: undefined, starts: 0 };
      this.#running.set(spec.role, entry);
      this.#spawn(entry);
    }
  }

  /** Pids of the children currently running, by role. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [role, entry] of this.#running) if (entry.process?.pid !== undefined) out[role] = entry.process.pid;
    return out;
  }

  /** Passes an operator's signal (reload, dumps) on to every child. */
  forward(signal: NodeJS.Signals): void {
    for (const entry of this.#running.values()) entry.process?.kill(signal);
  }

  /** Stops every child (TERM, then KILL after the timeout) and resolves when all have exited. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  #spawn(entry: Running): void {
    const { spec, logger } = { spec: entry.spec, logger: this.#options.logger };
    const firstStart = entry.starts++ === 0 ? spec.firstStart : undefined;
    let child: ChildProcess;
    if (firstStart) {
      const adopted = this.#options.earlyChildren?.get(spec.role);
      const early = adopted !== undefined && adopted.process.exitCode === null && adopted.process.signalCode === null
        ? adopted
        : new EarlyChild(spec.modulePath, [...spec.args, ...firstStart.args], spec.env);
      early.provide(firstStart.message);
      child = early.process;
    } else {
      child = fork(spec.modulePath, [...spec.args], { stdio: 'inherit', serialization: 'json', env: spec.env ?? process.env });
    }
    entry.process = child;
    entry.startedAt = Date.now();
    this.#updateSignalForwarding();
    if (child.pid !== undefined) {
      logger.info({ role: spec.role, pid: child.pid }, `Starting ${spec.role} child process, pid ${child.pid}`);
      this.#options.onChildStarted?.(spec.role, child.pid);
    }
    child.on('message', (message) => {
      if (isFarewellTableMessage(message)) {
        if (child.pid !== undefined && entry.process === child) watchChildFarewells(child.pid, message);
        return;
      }
      routeRelayMessage(spec.role, message, (role, relayed) => this.#sendTo(role, relayed));
    });
    child.on('error', (error) => logger.error({ role: spec.role, err: error }, `${spec.role} child process error`));
    child.on('exit', (code, signal) => {
      const pid = child.pid ?? -1;
      entry.process = undefined;
      forgetChildFarewells(pid);
      this.#updateSignalForwarding();
      this.#options.onChildExited?.(spec.role, pid, code, signal);
      if (this.#stopping) return;
      const uptimeMs = Date.now() - entry.startedAt;
      if (!this.#options.respawn) {
        logger.warn({ role: spec.role, pid, code, signal }, `${spec.role} child process (${pid}) exited; not respawning (-R)`);
        return;
      }
      const next = nextRespawn(this.#options.policy ?? DEFAULT_RESPAWN_POLICY, entry.respawn, uptimeMs);
      entry.respawn = next.state;
      logger.warn({ role: spec.role, pid, code, signal, restartInMs: next.delayMs }, `${spec.role} child process (${pid}) died: restarting in ${next.delayMs} ms`);
      entry.restartTimer = setTimeout(() => {
        entry.restartTimer = undefined;
        if (!this.#stopping) this.#spawn(entry);
      }, next.delayMs);
    });
  }

  /** The children a SIGTERM reaches from the signal handler: the running ones (an exited pid may be reused). */
  #updateSignalForwarding(): void {
    forwardTerminationTo(Object.values(this.pids()));
  }

  #sendTo(role: string, message: object): boolean {
    const child = this.#running.get(role)?.process;
    if (child === undefined || !child.connected) return false;
    child.send(message, (error) => {
      if (error) this.#options.logger.warn({ role, err: error }, `cannot pass a message to the ${role} child: ${error.message}`);
    });
    return true;
  }

  async #stopAll(): Promise<void> {
    const running: { readonly role: string; readonly child: ChildProcess }[] = [];
    for (const entry of this.#running.values()) {
      const child = entry.process;
      if (child !== undefined && child.exitCode === null && child.signalCode === null) running.push({ role: entry.spec.role, child });
    }
    // The signals first, before any other work: the VRRP child's priority-0 adverts wait for it.
    for (const { child } of running) child.kill('SIGTERM');
    const timeoutMs = this.#options.stopTimeoutMs ?? 5_000;
    for (const entry of this.#running.values()) if (entry.restartTimer) clearTimeout(entry.restartTimer);
    await Promise.all(running.map(({ role, child }) => new Promise<void>((resolve) => {
      const killer = setTimeout(() => {
        this.#options.logger.warn({ role, pid: child.pid }, `${role} child did not stop in ${timeoutMs} ms: killing it`);
        child.kill('SIGKILL');
      }, timeoutMs);
      // 'exit' comes from the event loop, never within this call: listening after the signal is safe.
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
    })));
  }
}
