// Reading a daemon's notify FIFO in tests: make the FIFO, keep a `cat` reading it, and group the
// lines by subject (`INSTANCE "VI_1"`, `GROUP "G1"`) so that two daemons' records compare even when
// they interleave subjects differently.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface FifoReader {
  /** Everything read so far. */
  text(): string;
  readonly process: ChildProcess;
}

/**
 * Creates the FIFO at `path` and starts reading it. `reopen`: read on after the writer closes it
 * (keepalived closes and reopens its FIFOs on reload); kill `process` to stop.
 */
export function readFifo(path: string, reopen = false): FifoReader {
  execFileSync('mkfifo', [path]);
  const reader = reopen
    ? spawn('sh', ['-c', 'while :; do cat "$0"; done', path], { stdio: ['ignore', 'pipe', 'ignore'], detached: true })
    : spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  reader.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text, process: reader };
}

/** Lines grouped by subject, each in the order written. */
export function bySubject(text: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const line of text.trim().split('\n')) {
    const subject = /^(\S+ "[^"]+")/.exec(line)?.[1] ?? 'unparsed';
    (result[subject] ??= []).push(line);
  }
  return result;
}
