// vrrp_track_process: counts matching processes (process-match.ts) by scanning /proc, once at
// start and then every `pollMs` (default 1 s). This is polling, not keepalived's netlink process
// connector: a change is seen within one poll interval plus fork_delay/terminate_delay.
// /proc/PID/stat is read for every process, /proc/PID/cmdline too only when some spec compares
// command lines (matchesCommandLine), as keepalived avoids reading cmdline otherwise.
//   fork_delay: after the count reaches quorum, wait this long before saying up (a fork/exec bounce);
//   terminate_delay: after quorum is lost, wait this long before saying down (a restart);
//   a change that reverts before its delay ends is never reported. At start the first scan counts at once.
//
// Wiring: one ProcessScanner shared by every process tracker, so /proc is read once per poll:
//   const scanner = new ProcessScanner({ pollMs: 1000, readCommandLines: specs.some(matchesCommandLine) });
//   const tracker = new ProcessTracker({ name: 'haproxy', spec, scanner, forkDelayMs: 0, terminateDelayMs: 0 });
//   tracker.on('change', ...); tracker.start(); scanner.start();
import { EventEmitter } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { parseCmdline, parseProcStat, processMatches, quorumMet, type ProcessInfo, type ProcessSpec } from './process-match.js';
import type { Tracker, TrackerEvents, TrackerState } from './tracker.js';

export interface ProcessScannerOptions {
  readonly pollMs?: number;
  /** Read /proc/PID/cmdline too (some spec needs the command line). */
  readonly readCommandLines: boolean;
  /** Default /proc. */
  readonly procRoot?: string;
}

export interface ProcessScannerEvents {
  scan: [processes: readonly ProcessInfo[]];
  error: [error: Error];
}

/** Reads /proc without blocking the loop (async fs), one scan at a time. */
export class ProcessScanner extends EventEmitter<ProcessScannerEvents> {
  readonly #options: ProcessScannerOptions;
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<readonly ProcessInfo[]> | undefined;

  constructor(options: ProcessScannerOptions) {
    super();
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    void this.scan();
    this.#timer = setInterval(() => void this.scan(), this.#options.pollMs ?? 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One scan now (joins a scan already under way); emits 'scan'. */
  scan(): Promise<readonly ProcessInfo[]> {
    this.#scanning ??= this.#scanOnce().finally(() => (this.#scanning = undefined));
    return this.#scanning;
  }

  async #scanOnce(): Promise<readonly ProcessInfo[]> {
    const root = this.#options.procRoot ?? '/proc';
    let names: string[];
    try {
      names = await readdir(root);
    } catch (error) {
      this.emit('error', error as Error);
      return [];
    }
    const found: ProcessInfo[] = [];
    await Promise.all(
      names.filter((n) => /^[1-9]\d*$/.test(n)).map(async (n) => {
        const pid = Number(n);
        try {
          const info = parseProcStat(pid, await readFile(`${root}/${n}/stat`, 'utf8'));
          if (!info || info.state === 'Z') return;
          if (!this.#options.readCommandLines) return void found.push(info);
          found.push({ ...info, argv: parseCmdline(await readFile(`${root}/${n}/cmdline`)) });
        } catch {
          // The process exited between readdir and read.
        }
      }),
    );
    this.emit('scan', found);
    return found;
  }
}

export interface ProcessTrackerOptions {
  readonly name: string;
  readonly spec: ProcessSpec;
  readonly scanner: ProcessScanner;
  readonly forkDelayMs: number;
  readonly terminateDelayMs: number;
}

export interface ProcessTrackerEvents extends TrackerEvents {
  /** Every scan's count of matching processes. */
  count: [count: number];
}

export class ProcessTracker extends EventEmitter<ProcessTrackerEvents> implements Tracker {
  readonly name: string;
  readonly #options: ProcessTrackerOptions;
  #state: TrackerState;
  #counted = false;
  #delay: NodeJS.Timeout | undefined;
  #delayedTo: boolean | undefined;
  readonly #onScan = (processes: readonly ProcessInfo[]) => this.#apply(processes);

  /** Down until the first scan (keepalived counts before its instances start). */
  constructor(options: ProcessTrackerOptions) {
    super();
    this.name = options.name;
    this.#options = options;
    this.#state = { name: this.name, up: false };
  }

  get state(): TrackerState {
    return this.#state;
  }

  start(): void {
    this.#options.scanner.on('scan', this.#onScan);
  }

  stop(): void {
    this.#options.scanner.off('scan', this.#onScan);
    clearTimeout(this.#delay);
    this.#delay = undefined;
    this.#delayedTo = undefined;
  }

  #apply(processes: readonly ProcessInfo[]): void {
    const count = processes.reduce((n, p) => (processMatches(this.#options.spec, p) ? n + 1 : n), 0);
    this.emit('count', count);
    const up = quorumMet(this.#options.spec, count);
    const current = 'up' in this.#state && this.#state.up;
    if (!this.#counted) {
      this.#counted = true;
      this.#set(up);
      return;
    }
    if (up === current) {
      // Back where it was before a delay ran out: nothing to report.
      clearTimeout(this.#delay);
      this.#delay = undefined;
      this.#delayedTo = undefined;
      return;
    }
    if (this.#delayedTo === up) return;
    const delay = up ? this.#options.forkDelayMs : this.#options.terminateDelayMs;
    if (delay <= 0) return this.#set(up);
    clearTimeout(this.#delay);
    this.#delayedTo = up;
    this.#delay = setTimeout(() => {
      this.#delay = undefined;
      this.#delayedTo = undefined;
      this.#set(up);
    }, delay);
  }

  #set(up: boolean): void {
    if ('up' in this.#state && this.#state.up === up) return;
    this.#state = { name: this.name, up };
    this.emit('change', this.#state);
  }
}
