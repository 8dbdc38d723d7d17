// A small lab for the raw-socket tests: two network namespaces joined by a veth pair, opening
// sockets inside a namespace from this process, tcpdump captures read back as pcap, and Debian's
// keepalived run in a namespace.
// Every name starts with `ktsvw`; `destroy()` deletes the namespaces (and with them the veth).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { native } from '../../src/sys/native.js';
import { CLONE_NEWNET } from '../../src/sys/constants.js';

export const PREFIX = 'ktsvw';

export function run(command: string, ...args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function inNamespaceRun(namespace: string, command: string, ...args: string[]): string {
  return run('ip', 'netns', 'exec', namespace, command, ...args);
}

/**
 * Runs `body` with this thread inside `namespace`, then returns to the namespace it was in.
 * Sockets opened inside stay in that namespace for their whole life.
 */
export function withinNamespace<T>(namespace: string, body: () => T): T {
  const home = openSync('/proc/thread-self/ns/net', 'r');
  const target = openSync(`/run/netns/${namespace}`, 'r');
  try {
    native().setns(target, CLONE_NEWNET);
    try {
      return body();
    } finally {
      native().setns(home, CLONE_NEWNET);
    }
  } finally {
    closeSync(target);
    closeSync(home);
  }
}

export interface LabSide {
  readonly namespace: string;
  readonly interfaceName: string;
  readonly mac: string;
  readonly ipv4: string;
  readonly linkLocal: string;
}

export interface VethLab {
  readonly a: LabSide;
  readonly b: LabSide;
  destroy(): void;
}

/**
 * Two namespaces `ktsvw-<tag>-a|b` joined by a veth, with fixed MACs, 10.<subnet>.0.1/2 and
 * fe80::a / fe80::b (no DAD, so addresses are usable at once).
 */
export function createVethLab(tag: string, subnet: number): VethLab {
  const side = (letter: 'a' | 'b', host: number): LabSide => ({
    namespace: `${PREFIX}-${tag}-${letter}`,
    interfaceName: `${PREFIX}${tag}${letter}`.slice(0, 15),
    mac: `02:99:${subnet.toString(16).padStart(2, '0')}:00:00:0${host}`,
    ipv4: `10.${subnet}.0.${host}`,
    linkLocal: `fe80::${letter}`,
  });
  const a = side('a', 1);
  const b = side('b', 2);
  const destroy = () => {
    for (const { namespace } of [a, b]) {
      try {
        run('ip', 'netns', 'del', namespace);
      } catch {
        // Not created (or already gone): nothing to clean.
      }
    }
  };
  destroy(); // leftovers of an interrupted earlier run
  try {
    for (const { namespace } of [a, b]) {
      run('ip', 'netns', 'add', namespace);
      inNamespaceRun(namespace, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0');
      inNamespaceRun(namespace, 'ip', 'link', 'set', 'lo', 'up');
    }
    run('ip', 'link', 'add', a.interfaceName, 'netns', a.namespace, 'type', 'veth', 'peer', 'name', b.interfaceName, 'netns', b.namespace);
    for (const s of [a, b]) {
      inNamespaceRun(s.namespace, 'ip', 'link', 'set', s.interfaceName, 'address', s.mac);
      inNamespaceRun(s.namespace, 'ip', 'addr', 'add', `${s.ipv4}/24`, 'dev', s.interfaceName);
      inNamespaceRun(s.namespace, 'ip', '-6', 'addr', 'add', `${s.linkLocal}/64`, 'dev', s.interfaceName, 'nodad');
      inNamespaceRun(s.namespace, 'ip', 'link', 'set', s.interfaceName, 'up');
    }
    waitUntilIpv6Flows(a, b);
  } catch (error) {
    destroy();
    throw error;
  }
  return { a, b, destroy };
}

/**
 * A fresh veth drops IPv6 for a moment after it comes up (sendto succeeds, nothing leaves) while
 * the kernel finishes bringing IPv6 up on the link; IPv4 flows at once. Wait until a ping gets
 * through both ways.
 */
function waitUntilIpv6Flows(a: LabSide, b: LabSide): void {
  const deadline = Date.now() + 10_000;
  for (const [from, to] of [[a, b], [b, a]] as const) {
    for (;;) {
      try {
        inNamespaceRun(from.namespace, 'ping', '-6', '-c', '1', '-W', '1', '-I', from.interfaceName, `${to.linkLocal}%${from.interfaceName}`);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }
}

export interface Capture {
  /** Stops tcpdump (if still running) and resolves once the pcap file is complete. */
  stop(): Promise<void>;
  /** Resolves when tcpdump exits by itself (after `count` packets). */
  readonly exited: Promise<void>;
}

/** Starts tcpdump in a namespace writing a pcap; resolves once it is listening. */
export async function startCapture(namespace: string, interfaceName: string, file: string, filter: string, count: number): Promise<Capture> {
  // --immediate-mode: without it libpcap hands packets over a ring block at a time (or after 1 s),
  // and a capture stopped before that loses the packets of the unfinished block.
  const child: ChildProcess = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-i', interfaceName, '--immediate-mode', '-U', '-n', '-c', String(count), '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 5000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited early: ${stderr}`));
    });
  });
  return {
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RunningKeepalived {
  /** Everything it logged so far (-l -D: console, detailed). */
  log(): string;
  /** SIGTERM (it sends priority 0 and removes its VIPs), SIGKILL if it lingers; resolves on exit. */
  stop(): Promise<void>;
}

/**
 * Runs Debian's keepalived (VRRP only, foreground) in a namespace with the config text, its
 * pid files in `scratch` so that it never collides with another keepalived on the machine.
 */
export function startKeepalived(namespace: string, config: string, scratch: string): RunningKeepalived {
  const configFile = join(scratch, 'keepalived.conf');
  writeFileSync(configFile, config);
  const child = spawn('ip', [
    'netns', 'exec', namespace, 'keepalived', '-n', '-l', '-D', '-P', '-G', '-f', configFile,
    '-p', join(scratch, 'keepalived.pid'), '-r', join(scratch, 'vrrp.pid'), '-c', join(scratch, 'checkers.pid'),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    log: () => log,
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      await Promise.race([exited, delay(5000)]);
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}
