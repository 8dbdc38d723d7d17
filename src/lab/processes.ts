// Every process the lab starts, so that each exit path can end them all: daemons, HTTP servers,
// pingers, tcpdump. Processes run inside a namespace through `ip netns exec`, which execs the
// command, so the pid we hold is the command's own.
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface LabProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

export class LabProcesses {
  readonly #live = new Set<LabProcess>();

  /** Starts `command args` inside `namespace`. */
  spawnIn(namespace: string, name: string, command: string, args: readonly string[], stdio: StdioOptions = 'ignore'): LabProcess {
    const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], { stdio });
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
      child.once('error', () => resolve('spawn-error'));
    });
    const entry: LabProcess = { name, child, exited };
    this.#live.add(entry);
    void exited.then(() => this.#live.delete(entry));
    return entry;
  }

  get running(): readonly LabProcess[] {
    return [...this.#live];
  }

  /** Sends SIGKILL to every process still running and to everything they started. Synchronous. */
  killAll(): void {
    for (const entry of this.#live) {
      if (entry.child.pid !== undefined) killTree(entry.child.pid, 'SIGKILL');
    }
  }
}

/** The pid and all its descendants, parents before children. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const visit = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name in parentheses may hold spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/**
 * Signals a whole process tree. For SIGKILL every member is stopped first, so that no child sees
 * its parent die (keepalived's VRRP child would get SIGTERM by PDEATHSIG and leave gracefully):
 * a real crash takes the whole tree at once.
 */
export function killTree(root: number, signal: NodeJS.Signals): void {
  const tree = processTree(root);
  if (signal === 'SIGKILL') for (const pid of tree) sendSignal(pid, 'SIGSTOP');
  for (const pid of [...tree].reverse()) sendSignal(pid, signal);
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** The pids of every process inside a namespace (`ip netns pids`). */
export function pidsInNamespace(namespace: string): number[] {
  const result = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  return result.stdout.split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
}
