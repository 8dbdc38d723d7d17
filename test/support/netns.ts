// Network namespaces for privileged tests. Every name starts with the caller's prefix so that
// cleanupNamespaces(prefix) can remove whatever an earlier, crashed run left behind.
//
//   cleanupNamespaces('ktsxx');                    // beforeAll: leftovers of a crashed run
//   const ns = createNamespace('ktsxx');           // ktsxx-<pid>-<n>, loopback up
//   ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'a1');  // ip -n ns ...
//   execIn(ns, 'ping', ['-c1', '10.0.0.1']);       // ip netns exec ns ping ...
//   const socket = inNamespace(ns, () => openSomeSocket());  // the socket lives in ns
//   disposeNamespaces();                           // afterAll: everything this process made
// (This host kernel has no dummy module: use a veth pair or a bridge as a test interface.)
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { enterNetworkNamespace } from '../../src/sys/interfaces.js';

let created = 0;
const live = new Set<string>();

export class CommandError extends Error {
  constructor(readonly command: string, readonly status: number | null, readonly stderr: string) {
    super(`${command} exited ${status}: ${stderr.trim()}`);
  }
}

/** Runs a command and returns its stdout; a non-zero exit throws CommandError with stderr. */
export function run(command: string, args: readonly string[], input?: string): string {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new CommandError(`${command} ${args.join(' ')}`, result.status, result.stderr);
  return result.stdout;
}

/** Creates a fresh namespace named `<prefix>-<pid>-<n>` with loopback up; returns its name. */
export function createNamespace(prefix: string): string {
  const name = `${prefix}-${process.pid}-${++created}`;
  run('ip', ['netns', 'add', name]);
  live.add(name);
  run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** `ip -n <ns> ...args`; returns stdout. */
export function ip(namespace: string, ...args: string[]): string {
  return run('ip', ['-n', namespace, ...args]);
}

/** Feeds `lines` to `ip -n <ns> -batch -` (one ip command per line, without the leading "ip"). */
export function ipBatch(namespace: string, lines: readonly string[]): string {
  return run('ip', ['-n', namespace, '-batch', '-'], lines.join('\n') + '\n');
}

/** Runs a command inside the namespace (`ip netns exec`); returns stdout. */
export function execIn(namespace: string, command: string, args: readonly string[] = []): string {
  return run('ip', ['netns', 'exec', namespace, command, ...args]);
}

export function namespaceExists(namespace: string): boolean {
  return existsSync(`/run/netns/${namespace}`);
}

export function deleteNamespace(namespace: string): void {
  live.delete(namespace);
  if (namespaceExists(namespace)) spawnSync('ip', ['netns', 'delete', namespace], { stdio: 'ignore' });
}

/** Deletes every namespace this process created, and inNamespace's way home: call it in afterAll. */
export function disposeNamespaces(): void {
  for (const name of [...live]) deleteNamespace(name);
  if (home !== undefined) deleteNamespace(home);
  home = undefined;
}

/**
 * Deletes every namespace, and every link in the current namespace, whose name starts with
 * `prefix` (links left in the root namespace by veth pairs whose peer was not moved).
 */
export function cleanupNamespaces(prefix: string): void {
  if (!prefix || prefix.length < 3) throw new Error(`refusing to clean up with prefix '${prefix}'`);
  const namespaces = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  for (const name of namespaces) if (name.startsWith(prefix) && !isLiveHome(name)) deleteNamespace(name);
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const line of links.split('\n')) {
    const name = /^\d+: ([^:@\s]+)/.exec(line)?.[1];
    if (name?.startsWith(prefix)) spawnSync('ip', ['link', 'delete', name], { stdio: 'ignore' });
  }
}

let home: string | undefined;

/**
 * Runs `open` with this thread inside `namespace`, then moves the thread back. Sockets opened in
 * `open` stay in that namespace for good, so one test process can hold sockets in several
 * namespaces. `open` must be synchronous: only the thread moves, and only for that call.
 */
export function inNamespace<T>(namespace: string, open: () => T): T {
  // The way back is a bind mount of this process' own namespace, made once, before any move.
  if (home === undefined) {
    const name = `${namespace.split('-')[0]}-home-${process.pid}`;
    run('ip', ['netns', 'attach', name, String(process.pid)]);
    home = name;
  }
  enterNetworkNamespace(namespace);
  try {
    return open();
  } finally {
    enterNetworkNamespace(home);
  }
}

/** A home mount (see inNamespace) of a process that is still running must stay. */
function isLiveHome(name: string): boolean {
  const pid = /-home-(\d+)$/.exec(name)?.[1];
  if (pid === undefined) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}
