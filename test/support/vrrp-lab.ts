// A VRRP failover lab for privileged tests: director namespaces and a client namespace, each with
// an `eth0` veth whose peer is a port of bridge `br0` in a bridge namespace, and helpers to run our
// daemon or Debian's keepalived in a director, find which director holds a VIP, and wait for it.
// Every name starts with `ktsvr`; `destroy()` deletes the namespaces (and with them the veths).
//
//   const lab = createVrrpLab('fo', 61, 2);              // ktsvr-fo-d0, -d1, -client, -br
//   const ours = startOurs(lab.directors[0]!, config, scratch);
//   await waitFor(() => vipHolders(lab, '10.61.0.100').length === 1, 5000);
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAB_PREFIX = 'ktsvr';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'keepalived-ts');

export function sh(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return result.stdout;
}

export function nsRun(namespace: string, command: string, ...args: string[]): string {
  return sh('ip', ['netns', 'exec', namespace, command, ...args]);
}

export interface LabHost {
  readonly namespace: string;
  readonly interfaceName: 'eth0';
  readonly ipv4: string;
  readonly ipv6: string;
  /** The bridge port this host's veth is plugged into (in the bridge namespace). */
  readonly port: string;
}

export interface VrrpLab {
  readonly directors: readonly LabHost[];
  readonly client: LabHost;
  readonly bridgeNamespace: string;
  readonly subnet: number;
  /** Administratively down (or up again) the director's own eth0. */
  setLink(host: LabHost, up: boolean): void;
  destroy(): void;
}

/**
 * Namespaces `<prefix>-<tag>-{d0..dN-1,client,br}` (prefix `ktsvr` unless a test owns another);
 * hosts get 10.<subnet>.0.<10+i>/24 and fd00:<subnet>::<10+i>/64.
 */
export function createVrrpLab(tag: string, subnet: number, directorCount: number, prefix = LAB_PREFIX): VrrpLab {
  const bridgeNamespace = `${prefix}-${tag}-br`;
  const host = (name: string, index: number): LabHost => ({
    namespace: `${prefix}-${tag}-${name}`,
    interfaceName: 'eth0',
    ipv4: `10.${subnet}.0.${10 + index}`,
    ipv6: `fd00:${subnet}::${10 + index}`,
    port: `${prefix}${tag}p${index}`.slice(0, 15),
  });
  const directors = Array.from({ length: directorCount }, (_, i) => host(`d${i}`, i));
  const client = host('client', 190); // .200: clear of the .100 VIPs the tests use
  const all = [...directors, client];
  const destroy = (): void => {
    for (const namespace of [...all.map((h) => h.namespace), bridgeNamespace]) {
      spawnSync('ip', ['netns', 'del', namespace], { stdio: 'ignore' });
    }
  };
  destroy();
  try {
    for (const namespace of [bridgeNamespace, ...all.map((h) => h.namespace)]) {
      sh('ip', ['netns', 'add', namespace]);
      nsRun(namespace, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0');
      sh('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
    }
    sh('ip', ['-n', bridgeNamespace, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'mcast_snooping', '0']);
    sh('ip', ['-n', bridgeNamespace, 'link', 'set', 'br0', 'up']);
    for (const h of all) {
      sh('ip', ['-n', bridgeNamespace, 'link', 'add', h.port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.namespace]);
      sh('ip', ['-n', bridgeNamespace, 'link', 'set', h.port, 'master', 'br0', 'up']);
      sh('ip', ['-n', h.namespace, 'addr', 'add', `${h.ipv4}/24`, 'dev', 'eth0']);
      sh('ip', ['-n', h.namespace, '-6', 'addr', 'add', `${h.ipv6}/64`, 'dev', 'eth0', 'nodad']);
      sh('ip', ['-n', h.namespace, 'link', 'set', 'eth0', 'up']);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    directors,
    client,
    bridgeNamespace,
    subnet,
    setLink: (h, up) => sh('ip', ['-n', h.namespace, 'link', 'set', 'eth0', up ? 'up' : 'down']),
    destroy,
  };
}

/** Indices of the directors that hold `vip` on any interface. */
export function vipHolders(lab: VrrpLab, vip: string): number[] {
  return lab.directors.flatMap((d, i) => (hasAddress(d.namespace, vip) ? [i] : []));
}

export function hasAddress(namespace: string, address: string): boolean {
  const out = sh('ip', ['-n', namespace, '-o', 'addr', 'show']);
  return out.split('\n').some((line) => line.includes(` ${address}/`));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `stepMs` until it is true; returns the elapsed ms, or throws after timeoutMs. */
export async function waitFor(check: () => boolean, timeoutMs: number, what = 'condition', stepMs = 5): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (check()) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(stepMs);
  }
}

export interface Director {
  /** Everything logged so far. */
  log(): string;
  /** The pids of the whole process tree (for kill -9 of everything). */
  pids(): number[];
  /** SIGTERM and wait for the exit (SIGKILL after 8 s). */
  stop(): Promise<void>;
  /** SIGKILL to every process of the tree: a real crash (VIPs stay). */
  crash(): Promise<void>;
  readonly exited: Promise<number | null>;
  readonly scratch: string;
}

function processTree(rootPid: number): number[] {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const walk = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  return tree;
}

function director(child: ChildProcess, scratch: string): Director {
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  // 'close', not 'exit': by then every line the daemon (and its children) wrote has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    log: () => log,
    pids: () => (child.pid === undefined ? [] : processTree(child.pid)),
    scratch,
    exited,
    async stop() {
      if (!running()) {
        await exited;
        return;
      }
      // `ip netns exec` execs the daemon, so child.pid is the daemon's parent process itself.
      child.kill('SIGTERM');
      await Promise.race([exited, delay(8000)]);
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async crash() {
      const pids = running() && child.pid !== undefined ? processTree(child.pid) : [];
      // Stopped first, so that no child reacts to its parent's death (keepalived's VRRP child
      // would get SIGTERM through PDEATHSIG and send priority 0: not a crash).
      for (const signal of ['SIGSTOP', 'SIGKILL'] as const) {
        for (const pid of pids) {
          try {
            process.kill(pid, signal);
          } catch {
            // already gone
          }
        }
      }
      await exited;
      // Orphans are reaped by init, which may take a moment: a restart before that would find the
      // dead daemon's pid still "alive" (keepalived then refuses to start).
      const start = performance.now();
      while (pids.some((pid) => existsSync(`/proc/${pid}`)) && performance.now() - start < 5000) await delay(20);
    },
  };
}

const scratchDirs: string[] = [];

export function scratchDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${LAB_PREFIX}-${tag}-`));
  scratchDirs.push(dir);
  return dir;
}

/** Removes every scratch directory this test file made (call from afterAll, after the daemons stopped). */
export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs our daemon in the foreground in the host's namespace: `keepalived-ts -n -l -P -f CONF` with private pid files. */
export function startOurs(h: LabHost, config: string, scratch: string, extraArgs: readonly string[] = []): Director {
  const configFile = join(scratch, 'keepalived-ts.conf');
  writeFileSync(configFile, config);
  const child = spawn('ip', [
    // BIN itself, as operators run it (its first line starts Node; see bin/keepalived-ts).
    'netns', 'exec', h.namespace, BIN, '-n', '-l', '-P', '-f', configFile,
    '-p', join(scratch, 'parent.pid'), '-r', join(scratch, 'vrrp.pid'), ...extraArgs,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEEPALIVED_TS_STATS_FILE: join(scratch, 'stats.json') } });
  return director(child, scratch);
}

/** Runs Debian's keepalived (VRRP only, foreground, console log) in the host's namespace. */
export function startKeepalived(h: LabHost, config: string, scratch: string): Director {
  const configFile = join(scratch, 'keepalived.conf');
  writeFileSync(configFile, config);
  const child = spawn('ip', [
    'netns', 'exec', h.namespace, 'keepalived', '-n', '-l', '-D', '-P', '-G', '-f', configFile,
    '-p', join(scratch, 'keepalived.pid'), '-r', join(scratch, 'vrrp.pid'), '-c', join(scratch, 'checkers.pid'),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  return director(child, scratch);
}

/** Asks our VRRP process for its counters (SIGUSR1 → stats file) and reads them. */
export async function readStats(d: Director): Promise<Record<string, unknown> & { instances: Record<string, Record<string, unknown>>; sockets: Record<string, { received: number; drops: Record<string, number> }> }> {
  const file = join(d.scratch, 'stats.json');
  rmSync(file, { force: true });
  const vrrpPid = Number(readFileSync(join(d.scratch, 'vrrp.pid'), 'utf8').trim());
  process.kill(vrrpPid, 'SIGUSR1');
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('}'), 3000, 'stats file');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** One ping from the client; true when it was answered within `timeoutS`. */
export function pingOnce(lab: VrrpLab, address: string, timeoutS = 1): boolean {
  const family = address.includes(':') ? '-6' : '-4';
  return spawnSync('ip', ['netns', 'exec', lab.client.namespace, 'ping', family, '-c', '1', '-W', String(timeoutS), address], { stdio: 'ignore' }).status === 0;
}

export interface InstanceText {
  readonly name?: string;
  readonly vrid: number;
  readonly priority: number;
  readonly vip: string;
  readonly state?: 'MASTER' | 'BACKUP';
  readonly version?: 2 | 3;
  readonly advertInt?: number;
  readonly nopreempt?: boolean;
  readonly preemptDelay?: number;
  readonly unicast?: { readonly src: string; readonly peers: readonly string[] };
  readonly password?: string;
  readonly extra?: readonly string[];
}

/** A keepalived.conf both daemons read the same way. */
export function vrrpConfig(instances: readonly InstanceText[], global: readonly string[] = []): string {
  const blocks = instances.map((i) => {
    const lines = [
      `vrrp_instance ${i.name ?? `VI_${i.vrid}`} {`,
      `  state ${i.state ?? 'BACKUP'}`,
      '  interface eth0',
      `  virtual_router_id ${i.vrid}`,
      `  priority ${i.priority}`,
      `  advert_int ${i.advertInt ?? 1}`,
      ...(i.version === undefined ? [] : [`  version ${i.version}`]),
      ...(i.nopreempt ? ['  nopreempt'] : []),
      ...(i.preemptDelay === undefined ? [] : [`  preempt_delay ${i.preemptDelay}`]),
      ...(i.password === undefined ? [] : ['  authentication {', '    auth_type PASS', `    auth_pass ${i.password}`, '  }']),
      ...(i.unicast === undefined ? [] : [`  unicast_src_ip ${i.unicast.src}`, '  unicast_peer {', ...i.unicast.peers.map((p) => `    ${p}`), '  }']),
      ...(i.extra ?? []).map((l) => `  ${l}`),
      '  virtual_ipaddress {',
      `    ${i.vip}`,
      '  }',
      '}',
    ];
    return lines.join('\n');
  });
  return [`global_defs {`, ...global.map((l) => `  ${l}`), `}`, ...blocks, ''].join('\n');
}
