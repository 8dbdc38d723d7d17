// The daemon in the IPVS guest (supervisor + VRRP child + checker child): 50 HUP reloads of an
// unchanged config and 50 changing only another virtual server never churn the unchanged
// service's entries (ipvsadm -Ln polled during the reloads; its persistence template and its
// kernel counters survive); /status, /metrics and `keepalived-ts status` show the checker's
// results and the IPVS counters; after kill -9 of every process a new start removes what the dead
// run owned and the new config no longer names, and keeps the rest untouched; alone (-C) the
// checker process serves the status endpoint itself.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate, type Schema } from '../support/json-schema-lite.js';
import { HttpBackend } from './support/lvs-lab.js';

const DAEMON = join(process.cwd(), 'bin/keepalived-ts');
const VIP = '10.81.0.100';
const VRRP_VIP = '10.81.0.50';
const server = (n: number) => `10.82.0.1${n}`;
const NAMESPACES = ['kdo-c', 'kdo-r1', 'kdo-r2', 'kdo-r3'];
const FOREIGN = 'TCP  10.81.0.200:443';
const schema = JSON.parse(readFileSync(join(process.cwd(), 'docs/status.schema.json'), 'utf8')) as Schema;

function sh(script: string): string {
  return execFileSync('/bin/sh', ['-ec', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function destroyLab(): void {
  sh([...NAMESPACES.map((ns) => `ip netns del ${ns} 2>/dev/null || true`), 'ip link del kdo-br 2>/dev/null || true', 'ip link del kdo-vip 2>/dev/null || true', 'ip link del kdo-ch 2>/dev/null || true', 'ipvsadm -C'].join('\n'));
}

/** LVS-NAT: the client (kdo-c, 10.81.0.2) -> VIP on the director -> real servers kdo-r1..3 on bridge kdo-br. */
function buildLab(): void {
  destroyLab();
  const lines = [
    'echo 1 > /proc/sys/net/ipv4/ip_forward',
    'ip link set lo up',
    'ip link add kdo-br type bridge', 'ip addr add 10.82.0.1/24 dev kdo-br', 'ip link set kdo-br up',
    'ip link add kdo-vip type dummy', `ip addr add ${VIP}/32 dev kdo-vip`, 'ip link set kdo-vip up',
    'ip netns add kdo-c', 'ip -n kdo-c link set lo up',
    'ip link add kdo-ch type veth peer name eth0 netns kdo-c', 'ip addr add 10.81.0.1/24 dev kdo-ch', 'ip link set kdo-ch up',
    'ip -n kdo-c addr add 10.81.0.2/24 dev eth0', 'ip -n kdo-c link set eth0 up', 'ip -n kdo-c route add default via 10.81.0.1',
  ];
  for (const n of [1, 2, 3]) {
    lines.push(
      `ip netns add kdo-r${n}`, `ip link add kdo-r${n}h type veth peer name eth0 netns kdo-r${n}`, `ip link set kdo-r${n}h master kdo-br up`,
      `ip -n kdo-r${n} link set lo up`, `ip -n kdo-r${n} addr add ${server(n)}/24 dev eth0`, `ip -n kdo-r${n} link set eth0 up`,
      `ip -n kdo-r${n} route add default via 10.82.0.1`,
    );
  }
  // Another tool's service: never ours to touch.
  lines.push(`ipvsadm -A -t 10.81.0.200:443 -s rr`);
  sh(lines.join('\n'));
}

function config(options: { weightB: number; withB?: boolean; statusSocket: string }): string {
  const check = '    TCP_CHECK {\n      connect_timeout 2\n    }';
  return `global_defs {
  kts_status_socket ${options.statusSocket}
}
vrrp_instance VI_1 {
  state BACKUP
  interface kdo-ch
  virtual_router_id 51
  priority 150
  advert_int 0.5
  version 3
  virtual_ipaddress {
    ${VRRP_VIP}/24
  }
}
virtual_server ${VIP} 80 {
  delay_loop 2
  lb_algo wrr
  lb_kind NAT
  persistence_timeout 300
  protocol TCP
  real_server ${server(1)} 80 {
    weight 1
${check}
  }
  real_server ${server(2)} 80 {
    weight 1
${check}
  }
}
${options.withB === false ? '' : `virtual_server ${VIP} 8080 {
  delay_loop 2
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server ${server(3)} 80 {
    weight ${options.weightB}
${check}
  }
}
`}`;
}

interface Daemon {
  readonly child: ChildProcess;
  log(): string;
}

function startDaemon(work: string, extra: readonly string[] = []): Daemon {
  const child = spawn(process.execPath, [DAEMON, ...extra, '-n', '-l', '-f', join(work, 'keepalived.conf'), '-p', join(work, 'parent.pid'), '-r', join(work, 'vrrp.pid'), '-c', join(work, 'checkers.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (log += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log += text));
  return { child, log: () => log };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number, log?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${log ? `\n--- daemon log ---\n${log().slice(-3000)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** `ipvsadm -Ln`'s block of one service: its line and its destinations' address, method and weight (connection counts left out). */
function serviceBlock(listing: string, serviceLine: string): string | undefined {
  const lines = listing.split('\n');
  const start = lines.findIndex((l) => l.startsWith(serviceLine));
  if (start < 0) return undefined;
  const block = [lines[start]!.trim()];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ->')) break;
    block.push(line.trim().split(/\s+/).slice(0, 4).join(' '));
  }
  return block.join('\n');
}

const listing = (): string => sh('ipvsadm -Ln');
/** Conns of a service in `ipvsadm -Ln --stats`. */
const serviceConns = (serviceLine: string): number => Number(sh('ipvsadm -Ln --stats').split('\n').find((l) => l.startsWith(serviceLine))?.trim().split(/\s+/)[2] ?? NaN);
/** Persistence templates (`ipvsadm -Lnc` entries with source port 0) for the VIP: source virtual destination. */
const templates = (): string[] => sh('ipvsadm -Lnc').split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[3]?.endsWith(':0') && f[4]?.startsWith(`${VIP}:`)).map((f) => f.slice(3).join(' ')).sort();

function requests(count: number, port = 80): string[] {
  const out = sh(`ip netns exec kdo-c sh -c 'i=0; while [ $i -lt ${count} ]; do curl -s -m 3 http://${VIP}:${port}/ || printf FAIL; echo; i=$((i+1)); done'`);
  return out.split('\n').filter((line) => line !== '');
}

function killTree(rootPid: number): void {
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
  // Stopped first so that no child sees its parent die and cleans up: a real crash of everything.
  for (const signal of ['SIGSTOP', 'SIGKILL'] as const) for (const pid of tree) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

describe('daemon reloads and restarts in the IPVS guest', () => {
  let work: string;
  let daemon: Daemon | undefined;
  const backends = [1, 2, 3].map((n) => new HttpBackend(`kdo-r${n}`, 80, `r${n}`));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kdo-vm-'));
    buildLab();
    for (const backend of backends) await backend.start();
  }, 60_000);

  afterAll(async () => {
    if (daemon && daemon.child.exitCode === null) {
      daemon.child.kill('SIGTERM');
      await new Promise((resolve) => daemon!.child.once('close', resolve));
    }
    for (const backend of backends) await backend.stop();
    destroyLab();
    rmSync(work, { recursive: true, force: true });
  });

  it('100 reloads never churn the unchanged service; status and metrics show checks and IPVS counters', async () => {
    const statusSocket = join(work, 'status.sock');
    const confFile = join(work, 'keepalived.conf');
    writeFileSync(confFile, config({ weightB: 1, statusSocket }));
    daemon = startDaemon(work);
    const d = daemon;
    const serviceA = `TCP  ${VIP}:80 wrr persistent 300`;
    const blockA = await waitFor('VS A with both real servers', () => {
      const block = serviceBlock(listing(), serviceA);
      return block !== undefined && block.split('\n').length === 3 ? block : undefined;
    }, 60_000, d.log);
    await waitFor('the VRRP child MASTER', () => d.log().includes('(VI_1) Entering MASTER STATE'), 30_000, d.log);
    expect(requests(6).filter((a) => a === 'FAIL')).toEqual([]);
    const templatesBefore = templates();
    expect(templatesBefore.length, sh('ipvsadm -Lnc')).toBe(1);
    // Persistence sends the one client to one real server.
    expect(new Set(requests(3)).size).toBe(1);
    // The kernel folds its per-CPU counters into what it reports every ~2 s.
    const connsBefore = await waitFor('the 9 connections in the counters', () => serviceConns(`TCP  ${VIP}:80`) === 9 && 9, 10_000);

    const parentPid = Number(readFileSync(join(work, 'parent.pid'), 'utf8'));
    const churn: string[] = [];
    let polls = 0;
    const started = Date.now();
    for (let i = 1; i <= 100; i++) {
      writeFileSync(confFile, config({ weightB: i <= 50 ? 1 : i % 2 === 1 ? 2 : 1, statusSocket }));
      const checkerDone = count(d.log(), 'real servers kept');
      const vrrpDone = count(d.log(), 'Reload done: 1 kept');
      process.kill(parentPid, 'SIGHUP');
      // Poll the table while this reload is applied by both children.
      while (count(d.log(), 'real servers kept') === checkerDone || count(d.log(), 'Reload done: 1 kept') === vrrpDone) {
        const block = serviceBlock(listing(), serviceA);
        polls++;
        if (block !== blockA) churn.push(`reload ${i}: ${block ?? 'service missing'}`);
        if (Date.now() - started > 420_000) throw new Error(`reload ${i} did not finish\n${d.log().slice(-3000)}`);
        // Lets the daemon's output in (ipvsadm runs synchronously).
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const reloadSeconds = (Date.now() - started) / 1000;
    console.log(`100 reloads in ${reloadSeconds.toFixed(1)} s, ${polls} polls of ipvsadm -Ln, churn ${churn.length}`);
    expect(churn).toEqual([]);
    expect(polls).toBeGreaterThanOrEqual(100);
    expect(count(d.log(), 'Reload done: 3 real servers kept, 0 (re)started, 0 removed')).toBe(50);
    expect(count(d.log(), 'Reload done: 2 real servers kept, 1 (re)started, 0 removed')).toBe(50);
    expect(serviceBlock(listing(), `TCP  ${VIP}:8080 rr`)).toContain(`-> ${server(3)}:80 Masq 1`);
    // The service was never recreated: its persistence template and counters are the same ones.
    expect(templates()).toEqual(templatesBefore);
    expect(serviceConns(`TCP  ${VIP}:80`)).toBe(connsBefore);
    expect(listing()).toContain(FOREIGN);

    // /status through the VRRP process, which asks the checker process over the supervisor.
    const json = JSON.parse(sh(`${process.execPath} ${DAEMON} status --socket ${statusSocket} --json`));
    expect(validate(schema, json)).toEqual([]);
    const vsA = json.virtualServers.find((vs: { name: string }) => vs.name === `TCP:${VIP}:80`);
    expect(vsA.services[0].counters.connections).toBe(9);
    expect(vsA.realServers.map((r: { up: boolean }) => r.up)).toEqual([true, true]);
    expect(vsA.realServers[0].checks).toBeGreaterThan(0);
    expect(vsA.realServers[0].lastCheck.kind).toBe('TCP_CHECK');
    const text = sh(`${process.execPath} ${DAEMON} status --socket ${statusSocket}`);
    expect(text).toMatch(/^VI_1 MASTER prio 150/m);
    expect(text).toContain(`TCP:${VIP}:80: 2/2 real servers up; TCP ${VIP}:80 9 conns`);
    const metrics = sh(`curl -s --unix-socket ${statusSocket} http://localhost/metrics`);
    expect(metrics).toContain(`keepalived_ts_ipvs_service_connections_total{virtual_server="TCP:${VIP}:80",service="TCP ${VIP}:80"} 9`);
    expect(metrics).toContain(`keepalived_ts_check_real_server_up{virtual_server="TCP:${VIP}:80",real_server="${VIP}:80/${server(1)}:80"} 1`);
    expect(metrics).toContain('keepalived_ts_vrrp_instance_state{instance="VI_1",state="MASTER"} 1');
  }, 540_000);

  it('kill -9 of every process, then a start without VS B: the dead run\'s VS B goes, VS A and the foreign service stay', async () => {
    const d = daemon!;
    const serviceA = `TCP  ${VIP}:80 wrr persistent 300`;
    const blockA = serviceBlock(listing(), serviceA);
    const connsA = serviceConns(`TCP  ${VIP}:80`);
    expect(connsA).toBe(9);
    killTree(d.child.pid!);
    await new Promise((resolve) => d.child.once('close', resolve));
    // Nobody cleaned up: the dead run's entries and VIP are all still there.
    expect(listing()).toContain(`TCP  ${VIP}:8080`);
    expect(sh('ip -o addr show dev kdo-ch')).toContain(VRRP_VIP);

    writeFileSync(join(work, 'keepalived.conf'), config({ weightB: 1, withB: false, statusSocket: join(work, 'status.sock') }));
    daemon = startDaemon(work);
    const next = daemon;
    await waitFor('VS B of the dead run to be removed', () => !listing().includes(`TCP  ${VIP}:8080`), 60_000, next.log);
    await waitFor('the stale VRRP VIP to be removed or owned again', () => next.log().includes('(VI_1) Entering MASTER STATE'), 30_000, next.log);
    expect(next.log()).toContain(`removing stale VIP ${VRRP_VIP}`);
    expect(serviceBlock(listing(), serviceA)).toBe(blockA);
    expect(serviceConns(`TCP  ${VIP}:80`)).toBe(connsA);
    expect(listing()).toContain(FOREIGN);
  }, 120_000);

  it('SIGTERM removes our entries and the ownership record; with -C alone the checker serves /status itself', async () => {
    const d = daemon!;
    d.child.kill('SIGTERM');
    await new Promise((resolve) => d.child.once('close', resolve));
    expect(listing()).not.toContain(`TCP  ${VIP}:80`);
    expect(listing()).toContain(FOREIGN);
    expect(existsSync(join(work, 'checkers.ipvs-owned.json'))).toBe(false);

    const statusSocket = join(work, 'status.sock');
    daemon = startDaemon(work, ['-C']);
    const alone = daemon;
    await waitFor('VS A again', () => serviceBlock(listing(), `TCP  ${VIP}:80 wrr persistent 300`)?.split('\n').length === 3, 60_000, alone.log);
    const json = await waitFor('the checker\'s own status endpoint', () => {
      const result = spawnSync(process.execPath, [DAEMON, 'status', '--socket', statusSocket, '--json'], { encoding: 'utf8' });
      return result.status === 0 ? JSON.parse(result.stdout) : undefined;
    }, 30_000, alone.log);
    expect(validate(schema, json)).toEqual([]);
    expect(json.instances).toEqual([]);
    expect(json.checker).not.toBeNull();
    expect(json.virtualServers.map((vs: { name: string }) => vs.name)).toEqual([`TCP:${VIP}:80`]);
  }, 120_000);
});
