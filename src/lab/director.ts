// One director of the lab: its daemon process (start, crash, stop, reload), its log, and the
// state changes the log reports.
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation } from './implementations.js';
import { killTree, type LabProcess, type LabProcesses } from './processes.js';

/** State changes a daemon logged: keepalived's "(VI_1) Entering MASTER STATE" lines. Pure. */
export function stateChanges(log: string): string[] {
  return [...log.matchAll(/Entering (MASTER|BACKUP|FAULT|STOP) STATE/gi)].map((match) => match[1]!.toUpperCase());
}

export class Director {
  #daemon: LabProcess | undefined;
  /** The exit of a daemon told to stop, which may take a while after the scenario moved on. */
  #leaving: Promise<unknown> | undefined;
  readonly logFile: string;

  constructor(
    readonly id: string,
    readonly namespace: string,
    readonly implementation: Implementation,
    private readonly configFile: string,
    private readonly workDir: string,
    private readonly processes: LabProcesses,
    private readonly vrrpOnly: boolean,
  ) {
    this.logFile = join(workDir, `${id}.log`);
  }

  get running(): boolean {
    return this.#daemon !== undefined;
  }

  /** Resolves once a daemon told to stop has exited. */
  async settled(): Promise<void> {
    await this.#leaving;
  }

  start(): void {
    if (this.#daemon) return;
    const files = {
      config: this.configFile,
      configId: this.id,
      parentPid: join(this.workDir, `${this.id}.pid`),
      vrrpPid: join(this.workDir, `${this.id}-vrrp.pid`),
      checkersPid: join(this.workDir, `${this.id}-checkers.pid`),
      vrrpOnly: this.vrrpOnly,
    };
    // A crashed daemon leaves its pid files, and keepalived refuses to start over them.
    for (const file of [files.parentPid, files.vrrpPid, files.checkersPid]) rmSync(file, { force: true });
    const { command, args } = this.implementation.command(files);
    const log = openSync(this.logFile, 'a');
    try {
      const daemon = this.processes.spawnIn(this.namespace, this.id, command, args, ['ignore', log, log]);
      this.#daemon = daemon;
      void daemon.exited.then(() => {
        if (this.#daemon === daemon) this.#daemon = undefined;
      });
    } finally {
      closeSync(log);
    }
  }

  /** kill -9 of the whole process tree at once: a crash, not a shutdown. */
  async crash(): Promise<void> {
    const daemon = this.#daemon;
    if (!daemon?.child.pid) return;
    killTree(daemon.child.pid, 'SIGKILL');
    this.#leaving = daemon.exited;
    await daemon.exited;
  }

  /** SIGTERM, as systemd stops it; SIGKILL if it has not left after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const daemon = this.#daemon;
    if (!daemon?.child.pid) return;
    daemon.child.kill('SIGTERM');
    this.#leaving = daemon.exited;
    const timer = setTimeout(() => daemon.child.pid && killTree(daemon.child.pid, 'SIGKILL'), graceMs);
    await daemon.exited;
    clearTimeout(timer);
  }

  reload(): void {
    this.#daemon?.child.kill('SIGHUP');
  }

  /** Where the log ends now: pass it to changesSince later. */
  logPosition(): number {
    try {
      return statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  changesSince(position: number): string[] {
    try {
      return stateChanges(readFileSync(this.logFile).subarray(position).toString('utf8'));
    } catch {
      return [];
    }
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
