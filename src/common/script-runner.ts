// Runs external scripts (vrrp_script, notify scripts, later MISC_CHECK) the way keepalived does,
// without ever blocking the event loop:
//   - the argv is executed directly (script-command.ts splits it), no shell in between; a file
//     with a #! line gets its interpreter from the kernel. (A file without one is run by /bin/sh,
//     libuv's execvp fallback; keepalived 2.2.7 instead reports such a script as succeeding
//     without running it, measured.)
//   - as a given uid/gid (supplementary groups cleared), with the daemon's environment unless one
//     is given, in its own process group (it is a group leader: pgid = pid, as under keepalived),
//     stdin/stdout/stderr on /dev/null;
//   - with a timeout: SIGTERM to the whole process group, then SIGKILL to the group after a grace
//     period if anything in it is still alive. The outcome is settled at the timeout (a tracker
//     counts the failure at once); `exited` settles when the script process has really gone.
//     (keepalived 2.2.7 sends the group SIGTERM only: a timed-out script that ignored it was
//     found still running half an hour later, measured. The SIGKILL is our addition.);
//   - with bounded concurrency: beyond `maxConcurrent` running scripts, later ones wait in order.
//
//   const runner = new ScriptRunner({ maxConcurrent: 16 });
//   const outcome = await runner.run({ argv: ['/etc/keepalived/check.sh'], uid: 65534, gid: 65534, timeoutMs: 2000 });
//   if (scriptSucceeded(outcome)) ...
import { spawn } from 'node:child_process';

export interface ScriptRequest {
  readonly argv: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
  /** Default: this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** 0 or absent: no timeout. */
  readonly timeoutMs?: number;
}

export type ScriptOutcome =
  | { readonly kind: 'exited'; readonly code: number; readonly durationMs: number }
  | { readonly kind: 'signalled'; readonly signal: NodeJS.Signals; readonly durationMs: number }
  | { readonly kind: 'timedOut'; readonly durationMs: number }
  /** The process could not be started: errno code such as ENOENT, EACCES, EPERM. */
  | { readonly kind: 'spawnFailed'; readonly code: string; readonly message: string };

export function scriptSucceeded(outcome: ScriptOutcome): boolean {
  return outcome.kind === 'exited' && outcome.code === 0;
}

/** "exited 3", "killed by SIGSEGV", "timed out after 1000 ms", "ENOENT: ..." for logs. */
export function describeOutcome(outcome: ScriptOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `exited ${outcome.code}`;
    case 'signalled':
      return `killed by ${outcome.signal}`;
    case 'timedOut':
      return `timed out after ${Math.round(outcome.durationMs)} ms`;
    case 'spawnFailed':
      return `could not start: ${outcome.message}`;
  }
}

export interface ScriptRun {
  /** Settles when the script exits, fails to start, or times out. Never rejects. */
  readonly outcome: Promise<ScriptOutcome>;
  /** Settles once the script process itself has gone (after the kill that follows a timeout). */
  readonly exited: Promise<void>;
  /** Signals the script's process group (a long-running script such as a notify FIFO reader); a queued script never starts. */
  kill(signal?: NodeJS.Signals): void;
}

export interface ScriptRunnerOptions {
  /** Scripts running at once; more wait their turn. Default 16. */
  readonly maxConcurrent?: number;
  /** Between SIGTERM and SIGKILL of a timed-out script's group. Default 2000 ms. */
  readonly killGraceMs?: number;
}

export interface ScriptRunnerStats {
  readonly running: number;
  readonly queued: number;
  readonly started: number;
  readonly timedOut: number;
  readonly spawnFailed: number;
}

interface Pending {
  readonly request: ScriptRequest;
  readonly settle: (outcome: ScriptOutcome) => void;
  readonly exited: () => void;
  readonly handle: { pgid?: number; killedWith?: NodeJS.Signals };
}

export class ScriptRunner {
  readonly #maxConcurrent: number;
  readonly #killGraceMs: number;
  readonly #queue: Pending[] = [];
  readonly #groups = new Set<number>();
  #running = 0;
  #started = 0;
  #timedOut = 0;
  #spawnFailed = 0;

  constructor(options: ScriptRunnerOptions = {}) {
    this.#maxConcurrent = Math.max(1, options.maxConcurrent ?? 16);
    this.#killGraceMs = options.killGraceMs ?? 2000;
  }

  get stats(): ScriptRunnerStats {
    return { running: this.#running, queued: this.#queue.length, started: this.#started, timedOut: this.#timedOut, spawnFailed: this.#spawnFailed };
  }

  run(request: ScriptRequest): Promise<ScriptOutcome> {
    return this.start(request).outcome;
  }

  start(request: ScriptRequest): ScriptRun {
    let settle!: (outcome: ScriptOutcome) => void;
    let exited!: () => void;
    const outcome = new Promise<ScriptOutcome>((resolve) => (settle = resolve));
    const gone = new Promise<void>((resolve) => (exited = resolve));
    const handle: Pending['handle'] = {};
    this.#queue.push({ request, settle, exited, handle });
    this.#pump();
    const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
      if (handle.pgid !== undefined) signalGroup(handle.pgid, signal);
      else handle.killedWith ??= signal;
    };
    return { outcome, exited: gone, kill };
  }

  /** Sends `signal` to every running script's process group (daemon shutdown). */
  killAll(signal: NodeJS.Signals = 'SIGTERM'): void {
    for (const pgid of this.#groups) signalGroup(pgid, signal);
  }

  #pump(): void {
    while (this.#running < this.#maxConcurrent && this.#queue.length > 0) this.#launch(this.#queue.shift()!);
  }

  #launch({ request, settle, exited, handle }: Pending): void {
    const startedAt = performance.now();
    const elapsed = () => performance.now() - startedAt;
    let settled = false;
    const finish = (outcome: ScriptOutcome) => {
      if (settled) return;
      settled = true;
      settle(outcome);
    };
    const [file, ...args] = request.argv;
    if (handle.killedWith !== undefined) {
      finish({ kind: 'signalled', signal: handle.killedWith, durationMs: 0 });
      exited();
      return;
    }
    if (file === undefined) {
      finish({ kind: 'spawnFailed', code: 'EINVAL', message: 'empty argv' });
      exited();
      return;
    }
    this.#running++;
    this.#started++;
    let released = false;
    // 'error' and 'exit' can both come for one child (a failed kill after the start): release once.
    const release = () => {
      if (released) return;
      released = true;
      this.#running--;
      exited();
      this.#pump();
    };
    let child;
    try {
      child = spawn(file, args, {
        detached: true,
        stdio: 'ignore',
        cwd: '/',
        env: request.env ?? process.env,
        ...(request.uid !== undefined ? { uid: request.uid } : {}),
        ...(request.gid !== undefined ? { gid: request.gid } : {}),
      });
    } catch (error) {
      // spawn throws synchronously for some bad options (EPERM on setuid shows up here on some Node versions).
      this.#spawnFailed++;
      const err = error as NodeJS.ErrnoException;
      finish({ kind: 'spawnFailed', code: err.code ?? 'EINVAL', message: err.message });
      release();
      return;
    }
    const pgid = child.pid;
    if (pgid !== undefined) this.#groups.add(pgid);
    handle.pgid = pgid;
    let timeout: NodeJS.Timeout | undefined;
    let killer: NodeJS.Timeout | undefined;
    if (request.timeoutMs && request.timeoutMs > 0 && pgid !== undefined) {
      timeout = setTimeout(() => {
        this.#timedOut++;
        finish({ kind: 'timedOut', durationMs: elapsed() });
        signalGroup(pgid, 'SIGTERM');
        // Unref'd: a daemon exiting after a timed-out shutdown script does not wait for it.
        killer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), this.#killGraceMs).unref();
      }, request.timeoutMs);
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timeout);
      handle.pgid = undefined;
      clearTimeout(killer);
      if (pgid !== undefined) this.#groups.delete(pgid);
      this.#spawnFailed++;
      finish({ kind: 'spawnFailed', code: error.code ?? 'UNKNOWN', message: error.message });
      release();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timeout);
      handle.pgid = undefined;
      if (pgid !== undefined) this.#groups.delete(pgid);
      // `killer` stays armed: a timed-out script's leftovers (children that ignored SIGTERM) still get the SIGKILL.
      if (signal !== null) finish({ kind: 'signalled', signal, durationMs: elapsed() });
      else finish({ kind: 'exited', code: code ?? 0, durationMs: elapsed() });
      release();
    });
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the whole group has already gone.
  }
}
