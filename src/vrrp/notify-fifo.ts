// A notify FIFO writer (notify_fifo, vrrp_notify_fifo): one line per event (notify-fifo-line.ts),
// in order, never blocking the event loop and never stalling VRRP when nobody reads.
//   - the FIFO is created with mode 0600 by mkfifo(1) (Node has no mkfifo) when the path does not
//     exist, given to the configured user and its group (`vrrp_notify_fifo PATH nobody` made a
//     0600 nobody:nogroup FIFO), and removed at close if we created it (all as keepalived 2.2.7
//     does, measured);
//   - it is opened O_RDWR|O_NONBLOCK: Linux allows that on a FIFO, so the open never waits for a
//     reader and a reader that comes later still gets the lines the pipe buffer holds;
//   - each line is one write() of at most PIPE_BUF bytes, so it is atomic; when the pipe is full
//     (EAGAIN: the reader is slow or absent) lines wait in a bounded queue retried every
//     `retryMs`, and beyond `maxQueued` the oldest are dropped and counted.
//
// Wiring: const fifo = await NotifyFifo.open('/run/keepalived.fifo'); notifier uses fifo.write(event).
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { chown, lstat, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { formatFifoLine, type NotifyEvent } from './notify-fifo-line.js';

const run = promisify(execFile);

export interface NotifyFifoOptions {
  readonly retryMs?: number;
  readonly maxQueued?: number;
  /** `notify_fifo PATH [user [group]]`: the FIFO is given to them, so a reader running as that user can open it. */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

export interface NotifyFifoStats {
  readonly written: number;
  readonly queued: number;
  readonly dropped: number;
}

export class NotifyFifo {
  readonly path: string;
  readonly #fd: number;
  readonly #created: boolean;
  readonly #retryMs: number;
  readonly #maxQueued: number;
  readonly #queue: string[] = [];
  #retry: NodeJS.Timeout | undefined;
  #written = 0;
  #dropped = 0;
  #closed = false;

  private constructor(path: string, fd: number, created: boolean, options: NotifyFifoOptions) {
    this.path = path;
    this.#fd = fd;
    this.#created = created;
    this.#retryMs = options.retryMs ?? 100;
    this.#maxQueued = options.maxQueued ?? 1000;
  }

  /** Creates the FIFO if the path is free; fails when the path exists and is not a FIFO. */
  static async open(path: string, options: NotifyFifoOptions = {}): Promise<NotifyFifo> {
    let created = false;
    try {
      const info = await lstat(path);
      if (!info.isFIFO()) throw Object.assign(new Error(`${path} exists and is not a FIFO`), { code: 'EEXIST' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await run('mkfifo', ['-m', '0600', path]);
      created = true;
    }
    if (options.owner) await chown(path, options.owner.uid, options.owner.gid);
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    return new NotifyFifo(path, fd, created, options);
  }

  get stats(): NotifyFifoStats {
    return { written: this.#written, queued: this.#queue.length, dropped: this.#dropped };
  }

  write(event: NotifyEvent): void {
    if (this.#closed) return;
    this.#queue.push(formatFifoLine(event));
    if (this.#queue.length > this.#maxQueued) {
      this.#queue.shift();
      this.#dropped++;
    }
    if (this.#retry === undefined) this.#flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    closeSync(this.#fd);
    if (this.#created) await unlink(this.path).catch(() => undefined);
  }

  #flush(): void {
    this.#retry = undefined;
    while (this.#queue.length > 0) {
      const line = this.#queue[0]!;
      try {
        // Non-blocking fd: this returns at once, written whole (<= PIPE_BUF) or EAGAIN.
        writeSync(this.#fd, line);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.#retry = setTimeout(() => this.#flush(), this.#retryMs);
          return;
        }
        this.#queue.shift();
        this.#dropped++;
        continue;
      }
      this.#queue.shift();
      this.#written++;
    }
  }
}
