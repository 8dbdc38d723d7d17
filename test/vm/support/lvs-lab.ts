// An LVS lab inside the IPVS guest: the guest's root namespace is the director, three real
// servers and a client live in network namespaces (prefix ktslvs), the real servers run node:http
// servers that answer with their name. NAT: the client reaches the VIP through its own veth and
// the real servers route back through the director. DR: the client shares the real servers'
// bridge and reaches the VIP through the director; the real servers hold the VIP on lo and answer
// the client directly.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const VIP = '10.71.0.100';
export const DIRECTOR_ON_BRIDGE = '10.72.0.1';
export const realServerAddress = (n: number) => `10.72.0.1${n}`;
const NAMESPACES = ['ktslvs-c', 'ktslvs-r1', 'ktslvs-r2', 'ktslvs-r3'];
const SERVER_SCRIPT = fileURLToPath(new URL('./lvs-http-server.mjs', import.meta.url));

export type LabMode = 'NAT' | 'DR';

function sh(script: string): string {
  return execFileSync('/bin/sh', ['-ec', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function buildLab(mode: LabMode): void {
  destroyLab();
  const lines = [
    'echo 1 > /proc/sys/net/ipv4/ip_forward',
    'ip link set lo up',
    'ip link add ktslvs-br type bridge',
    `ip addr add ${DIRECTOR_ON_BRIDGE}/24 dev ktslvs-br`,
    'ip link set ktslvs-br up',
    'ip link add ktslvs-vip type dummy',
    `ip addr add ${VIP}/32 dev ktslvs-vip`,
    'ip link set ktslvs-vip up',
  ];
  for (const n of [1, 2, 3]) {
    const ns = `ktslvs-r${n}`;
    lines.push(
      `ip netns add ${ns}`,
      `ip link add ktslvs-r${n}h type veth peer name eth0 netns ${ns}`,
      `ip link set ktslvs-r${n}h master ktslvs-br up`,
      `ip -n ${ns} link set lo up`,
      `ip -n ${ns} addr add ${realServerAddress(n)}/24 dev eth0`,
      `ip -n ${ns} link set eth0 up`,
      `ip -n ${ns} route add default via ${DIRECTOR_ON_BRIDGE}`,
    );
    if (mode === 'DR') {
      lines.push(
        `ip -n ${ns} addr add ${VIP}/32 dev lo`,
        `ip netns exec ${ns} sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore; echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce'`,
      );
    }
  }
  lines.push('ip netns add ktslvs-c', 'ip -n ktslvs-c link set lo up');
  if (mode === 'NAT') {
    lines.push(
      'ip link add ktslvs-ch type veth peer name eth0 netns ktslvs-c',
      'ip addr add 10.71.0.1/24 dev ktslvs-ch',
      'ip link set ktslvs-ch up',
      'ip -n ktslvs-c addr add 10.71.0.2/24 dev eth0',
      'ip -n ktslvs-c link set eth0 up',
      'ip -n ktslvs-c route add default via 10.71.0.1',
    );
  } else {
    lines.push(
      'ip link add ktslvs-ch type veth peer name eth0 netns ktslvs-c',
      'ip link set ktslvs-ch master ktslvs-br up',
      'ip -n ktslvs-c addr add 10.72.0.2/24 dev eth0',
      'ip -n ktslvs-c link set eth0 up',
      `ip -n ktslvs-c route add ${VIP}/32 via ${DIRECTOR_ON_BRIDGE}`,
    );
  }
  sh(lines.join('\n'));
}

export function destroyLab(): void {
  sh([
    ...NAMESPACES.map((ns) => `ip netns del ${ns} 2>/dev/null || true`),
    'ip link del ktslvs-br 2>/dev/null || true',
    'ip link del ktslvs-vip 2>/dev/null || true',
    'ip link del ktslvs-ch 2>/dev/null || true',
  ].join('\n'));
}

/** A node:http server in a namespace that answers every request with `name`. */
export class HttpBackend {
  #child: ChildProcess | undefined;

  constructor(readonly namespace: string, readonly port: number, readonly name: string) {}

  async start(): Promise<void> {
    const child = spawn('ip', ['netns', 'exec', this.namespace, process.execPath, SERVER_SCRIPT, String(this.port), this.name], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#child = child;
    child.stdout!.setEncoding('utf8');
    let seen = '';
    for await (const chunk of child.stdout!) {
      seen += String(chunk);
      if (seen.includes('ready')) return;
    }
    throw new Error(`backend ${this.name} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

/** `count` HTTP requests from the client namespace, each on a new connection: the answers ('FAIL' for a failed one). */
export function clientRequests(count: number, url = `http://${VIP}/`): string[] {
  const out = sh(`ip netns exec ktslvs-c sh -c 'i=0; while [ $i -lt ${count} ]; do curl -s -m 3 ${url} || printf FAIL; echo; i=$((i+1)); done'`);
  return out.split('\n').filter((line) => line !== '');
}

export function tally(answers: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}
