// track_file (vrrp_track_file): a number read from a file, multiplied by each tracking instance's
// weight (tracker.ts trackFileStatus). The file is read at start and again whenever it changes:
// the tracker watches the file's directory (inotify through fs.watch), so creating, rewriting,
// renaming over and deleting the file are all seen. Measured on keepalived 2.2.7:
//   - the text is read like strtol: leading blanks, an optional sign, decimal digits; anything
//     after them is ignored ("2.5" reads 2, "  4  " reads 4); no digits ("abc") reads 0;
//   - a missing or unreadable file reads 0;
//   - init_file VALUE writes VALUE (default 0) at start when the file does not exist, or always
//     with `overwrite`.
// fs.watch reports every write (inotify IN_MODIFY), not the writer's close: `echo 5 > file`
// truncates first, so a read at once could see an empty file (0). A change is therefore read
// `settleMs` (default 20 ms) after the last event of a burst.
//
// Wiring:
//   const tracker = new FileTracker({ name: 'tf_maint', path: '/run/maint', initFile: { value: 0, overwrite: false } });
//   tracker.on('change', ...); tracker.start();   // the state carries { value }
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Tracker, TrackerEvents, TrackerState } from './tracker.js';

/** keepalived reads a track file's number like strtol(3) over a 32-bit int. */
export function parseTrackFileValue(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!match) return 0;
  const value = Number(match[1]);
  return Math.max(-2147483648, Math.min(2147483647, value));
}

export interface FileTrackerOptions {
  readonly name: string;
  readonly path: string;
  /** init_file [VALUE] [overwrite]. */
  readonly initFile?: { readonly value: number; readonly overwrite: boolean };
  /** Poll interval when the directory cannot be watched (it does not exist yet). Default 1000 ms. */
  readonly pollMs?: number;
  /** Quiet time after the last change event before reading. Default 20 ms. */
  readonly settleMs?: number;
}

export interface FileTrackerEvents extends TrackerEvents {
  error: [error: Error];
}

export class FileTracker extends EventEmitter<FileTrackerEvents> implements Tracker {
  readonly name: string;
  readonly #options: FileTrackerOptions;
  #state: TrackerState;
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;
  #started = false;
  #reading: Promise<void> = Promise.resolve();
  #again = false;
  #pending = false;
  #settle: NodeJS.Timeout | undefined;
  /** init_file could not be written (reported on start, when listeners are there). */
  #initialError: Error | undefined;

  /**
   * Writes init_file and reads the value at once, so that an instance starts with it (keepalived
   * reads track files while loading the config: its first state already carries the weight, and
   * a weight-0 file that says non-zero starts the instance in FAULT rather than BACKUP).
   */
  constructor(options: FileTrackerOptions) {
    super();
    this.name = options.name;
    this.#options = options;
    this.#initialise();
    this.#state = { name: this.name, value: this.#readNow() };
  }

  get state(): TrackerState {
    return this.#state;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (this.#initialError) this.emit('error', this.#initialError);
    this.emit('change', this.#state); // the value read when built: listeners start from it
    this.#reading = this.#read();
    try {
      const file = basename(this.#options.path);
      this.#watcher = watch(dirname(this.#options.path), { persistent: false }, (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(this.#settle);
        this.#settle = setTimeout(() => this.#scheduleRead(), this.#options.settleMs ?? 20);
      });
      this.#watcher.on('error', (error) => this.#fallBackToPolling(error));
    } catch (error) {
      this.#fallBackToPolling(error as Error);
    }
  }

  stop(): void {
    this.#started = false;
    this.#watcher?.close();
    this.#watcher = undefined;
    clearInterval(this.#poll);
    this.#poll = undefined;
    clearTimeout(this.#settle);
  }

  /** Resolves once every read requested so far has been applied (tests, reload). */
  async settled(): Promise<void> {
    for (;;) {
      const reading = this.#reading;
      await reading;
      if (reading === this.#reading) return;
    }
  }

  #fallBackToPolling(error: Error): void {
    this.emit('error', error);
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#started && this.#poll === undefined) this.#poll = setInterval(() => this.#scheduleRead(), this.#options.pollMs ?? 1000);
  }

  /** Reads are serialised; a burst of changes during a read costs one more read, not one per change. */
  #scheduleRead(): void {
    if (this.#pending) {
      this.#again = true;
      return;
    }
    this.#pending = true;
    this.#reading = this.#reading.then(async () => {
      do {
        this.#again = false;
        await this.#read();
      } while (this.#again);
      this.#pending = false;
    });
  }

  #initialise(): void {
    const init = this.#options.initFile;
    if (!init) return;
    try {
      writeFileSync(this.#options.path, `${init.value}\n`, { flag: init.overwrite ? 'w' : 'wx' });
    } catch (error) {
      // Nobody listens yet: a failure to create the file shows as the value 0 it then reads.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') this.#initialError = error as Error;
    }
  }

  /** Missing or unreadable: 0, as keepalived. */
  #readNow(): number {
    try {
      return parseTrackFileValue(readFileSync(this.#options.path, 'utf8'));
    } catch {
      return 0;
    }
  }

  async #read(): Promise<void> {
    let value = 0;
    try {
      value = parseTrackFileValue(await readFile(this.#options.path, 'utf8'));
    } catch {
      // Missing or unreadable: 0, as keepalived.
    }
    if (!this.#started) return;
    if ('value' in this.#state && this.#state.value === value) return;
    this.#state = { name: this.name, value };
    this.emit('change', this.#state);
  }
}
