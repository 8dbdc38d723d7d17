// Line-buffered tcpdump in a namespace for privileged tests that count packets on the wire with
// their capture times: start it, let something happen, stop it and get every line it printed.
// Also groups timestamps into bursts (packets closer together than a gap) for GARP comparisons.
import { spawn } from 'node:child_process';
import { delay } from './vrrp-lab.js';

export interface WireWatch {
  /** Resolves as soon as a line matching `pattern` arrives after this call (rejects after `timeoutMs`). */
  next(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops tcpdump and returns its lines (`-tt`: each starts with epoch seconds). */
  stop(): Promise<string[]>;
}

/** tcpdump -l -n -tt on `interfaceName` in `namespace` with `filter`; resolves once it listens. */
export async function watchWire(namespace: string, interfaceName: string, filter: string, extraArgs: readonly string[] = []): Promise<WireWatch> {
  const tcpdump = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-l', '-n', '-tt', '-i', interfaceName, ...extraArgs, filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<(text: string) => void>();
  tcpdump.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    for (const waiter of waiters) waiter(text);
  });
  tcpdump.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const closed = new Promise((resolve) => tcpdump.once('close', resolve));
  const started = performance.now();
  while (!err.includes('listening on') && performance.now() - started < 5000 && tcpdump.exitCode === null) await delay(10);
  if (!err.includes('listening on')) throw new Error(`tcpdump did not start: ${err}`);
  return {
    next(pattern, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no tcpdump line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (text: string): void => {
          const line = text.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      // Packets captured just before the signal are still in the kernel's buffer: give them a moment.
      await delay(100);
      tcpdump.kill('SIGINT');
      await closed;
      return out.split('\n').filter((line) => line.trim() !== '');
    },
  };
}

/** Capture time in ms of a `-tt` tcpdump line. */
export function lineTimeMs(line: string): number {
  return Number(line.split(' ', 1)[0]) * 1000;
}

export interface Burst {
  /** ms after the first packet. */
  readonly atMs: number;
  readonly count: number;
}

/** Groups ascending times into bursts: a new burst starts after a silence longer than `gapMs`. */
export function bursts(timesMs: readonly number[], gapMs: number): Burst[] {
  const result: { atMs: number; count: number; lastMs: number }[] = [];
  const first = timesMs[0] ?? 0;
  for (const t of timesMs) {
    const current = result.at(-1);
    if (current !== undefined && t - current.lastMs <= gapMs) {
      current.count++;
      current.lastMs = t;
    } else {
      result.push({ atMs: t - first, count: 1, lastMs: t });
    }
  }
  return result.map(({ atMs, count }) => ({ atMs, count }));
}
