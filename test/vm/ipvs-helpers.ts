// Shared by the vm-tier IPVS tests: ipvsadm runs through one long-lived shell (forking the test
// worker itself costs ~0.3 s per command under TCG), our CLI command run in-process (no node
// start), and our client's table without the counters that traffic would change.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Writable } from 'node:stream';
import { ipvsCommand } from '../../src/cli/ipvs.js';
import type { ServiceEntry } from '../../src/ipvs/types.js';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/** Runs ipvsadm commands one after another in a single /bin/sh. */
export class IpvsadmShell {
  readonly #shell: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  #waiting: (() => void) | undefined;
  #next = 0;

  constructor() {
    this.#shell = spawn('/bin/sh', [], { stdio: 'pipe' });
    this.#shell.stdout.setEncoding('utf8').on('data', (text: string) => this.#arrived(() => (this.#stdout += text)));
    this.#shell.stderr.setEncoding('utf8').on('data', (text: string) => this.#arrived(() => (this.#stderr += text)));
  }

  #arrived(append: () => void): void {
    append();
    this.#waiting?.();
  }

  /** ipvsadm with these arguments (and stdin text); resolves with its exit code and output. */
  async run(args: readonly string[], input?: string): Promise<CommandResult> {
    const marker = `__kts_done_${this.#next++}__`;
    const stdin = input === undefined ? '</dev/null' : `<<'${marker}_in'\n${input}${input.endsWith('\n') || input === '' ? '' : '\n'}${marker}_in`;
    this.#shell.stdin.write(`ipvsadm ${args.map(quote).join(' ')} ${stdin}\nprintf '\\n${marker} %d\\n' $?; printf '\\n${marker}\\n' >&2\n`);
    const done = new RegExp(`\\n${marker} (\\d+)\\n`);
    for (;;) {
      const out = done.exec(this.#stdout);
      const errEnd = this.#stderr.indexOf(`\n${marker}\n`);
      if (out && errEnd >= 0) {
        const result = { code: Number(out[1]), stdout: this.#stdout.slice(0, out.index), stderr: this.#stderr.slice(0, errEnd) };
        this.#stdout = this.#stdout.slice(out.index + out[0].length);
        this.#stderr = this.#stderr.slice(errEnd + marker.length + 2);
        return result;
      }
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  /** Like run, but a non-zero exit is an error carrying ipvsadm's message. */
  async ok(args: readonly string[], input?: string): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0) throw new Error(`ipvsadm ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  close(): void {
    this.#shell.stdin.end();
  }
}

/** Runs `keepalived-ts ipvs <args>` in this process and returns its exit code and output. */
export async function runIpvsCommand(args: readonly string[]): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => new Writable({
    write(chunk, _encoding, done) {
      append(String(chunk));
      done();
    },
  });
  const code = await ipvsCommand({ options: {}, args, stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)) });
  return { code, stdout, stderr };
}

/** The configurable part of a table (no counters or connection counts), sorted for comparison. */
export function configuredTable(table: readonly ServiceEntry[]): unknown[] {
  const key = (value: { address?: string; port?: number; fwmark?: number; protocol?: string; family: string }) =>
    `${value.family}/${value.protocol ?? ''}/${value.fwmark ?? ''}/${value.address ?? ''}/${value.port ?? ''}`;
  return [...table]
    .map(({ service, destinations }) => {
      const { stats: _stats, ...serviceSettings } = service;
      return {
        service: serviceSettings,
        destinations: destinations
          .map(({ stats: _s, activeConnections: _a, inactiveConnections: _i, persistentConnections: _p, ...settings }) => settings)
          .sort((a, b) => key(a).localeCompare(key(b))),
      };
    })
    .sort((a, b) => key(a.service).localeCompare(key(b.service)));
}
