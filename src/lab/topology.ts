// The lab's network: one bridge namespace holding a bridge per LAN, and a namespace per director,
// real server and client, each joined to the bridges by a veth pair. Every name carries the run id;
// removing the namespaces removes every link and address with them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { LAB_PREFIX, namespaceName } from './names.js';
import { inNamespace } from './netns.js';
import type { LabPlan, LanPlan } from './plan.js';

export interface Member {
  /** lb1, rs1, client ... */
  readonly role: string;
  readonly namespace: string;
  /** The member's MAC on each LAN it joins, by interface name. */
  readonly macs: ReadonlyMap<string, string>;
}

export interface Topology {
  readonly runId: string;
  /** Namespace name of a member (`lb1`, `client`, `br`). */
  readonly namespaceOf: (role: string) => string;
  readonly bridgeNamespace: string;
  readonly directors: readonly Member[];
  readonly realServers: readonly Member[];
  readonly client: Member;
  /** The bridge port (in the bridge namespace) of a member on a LAN. */
  readonly port: (role: string, interfaceName: string) => string;
  /** Every namespace of this run. */
  readonly namespaces: readonly string[];
}

export class TopologyError extends Error {}

/** Runs `ip args`, throwing TopologyError with ip's message on failure. */
export function ip(args: readonly string[], input?: string): string {
  const result = spawnSync('ip', args, { encoding: 'utf8', input });
  if (result.status !== 0) throw new TopologyError(`ip ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

const portName = (role: string, lanIndex: number) => `${role.slice(0, 10)}-p${lanIndex}`;

/** Locally administered MACs that name their owner: 02:6c:<lan>:<kind>:<n>:01. */
function macFor(kind: number, n: number, lanIndex: number): string {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `02:6c:${hex(lanIndex)}:${hex(kind)}:${hex(n)}:01`;
}

/**
 * Creates the namespaces and links. On failure the namespaces made so far are listed in
 * `created` (the caller removes them with everything else). `prefix` is the lab's own unless a
 * test wants its namespaces kept apart from real lab runs.
 */
export function buildTopology(runId: string, plan: LabPlan, created: string[], prefix = LAB_PREFIX): Topology {
  const namespaceOf = (role: string) => namespaceName(runId, role, prefix);
  const bridgeNamespace = namespaceOf('br');
  const addNamespace = (name: string): void => {
    ip(['netns', 'add', name]);
    created.push(name);
    // IPv6 duplicate address detection would hold new addresses for a second: off in the lab.
    inNamespace(name, () => {
      writeFileSync('/proc/sys/net/ipv6/conf/all/accept_dad', '0');
      writeFileSync('/proc/sys/net/ipv6/conf/default/accept_dad', '0');
    });
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  };
  addNamespace(bridgeNamespace);
  const bridgeLines = plan.lans.flatMap((_, index) => [
    `link add br${index} type bridge mcast_snooping 0`,
    `link set br${index} up`,
  ]);
  ip(['-n', bridgeNamespace, '-batch', '-'], bridgeLines.join('\n') + '\n');

  const join = (role: string, kind: number, n: number, lans: readonly LanPlan[], address: (lan: LanPlan) => string): Member => {
    const namespace = namespaceOf(role);
    addNamespace(namespace);
    const macs = new Map<string, string>();
    const bridgeSide: string[] = [];
    const memberSide: string[] = [];
    for (const lan of lans) {
      const lanIndex = plan.lans.indexOf(lan);
      const port = portName(role, lanIndex);
      const mac = macFor(kind, n, lanIndex);
      macs.set(lan.interfaceName, mac);
      bridgeSide.push(`link add ${port} type veth peer name ${lan.interfaceName} netns ${namespace}`, `link set ${port} master br${lanIndex}`, `link set ${port} up`);
      memberSide.push(
        `link set ${lan.interfaceName} address ${mac}`,
        `addr add ${address(lan)}/${lan.prefixLength} dev ${lan.interfaceName}${lan.family === 6 ? ' nodad' : ''}`,
        `link set ${lan.interfaceName} up`,
      );
    }
    ip(['-n', bridgeNamespace, '-batch', '-'], bridgeSide.join('\n') + '\n');
    ip(['-n', namespace, '-batch', '-'], memberSide.join('\n') + '\n');
    return { role, namespace, macs };
  };

  const mainLan = plan.lans.find((lan) => lan.interfaceName === plan.instance.interfaceName) ?? plan.lans[0]!;
  const directors = plan.directors.map((director, position) =>
    join(director.id, 1, position + 1, plan.lans, (lan) => director.addresses.get(lan.interfaceName)!),
  );
  const realServers = plan.realServerAddresses.map((address, position) => join(`rs${position + 1}`, 2, position + 1, [mainLan], () => address));
  const client = join('client', 3, 1, [mainLan], () => plan.clientAddress);
  return {
    runId,
    namespaceOf,
    bridgeNamespace,
    directors,
    realServers,
    client,
    port: (role, interfaceName) => portName(role, plan.lans.findIndex((lan) => lan.interfaceName === interfaceName)),
    namespaces: [...created],
  };
}

/**
 * Bridge port isolation: isolated ports cannot reach each other but still reach every other port,
 * so isolating the directors' ports partitions them from each other and not from the client.
 */
export function isolatePorts(topology: Topology, roles: readonly string[], interfaceNames: readonly string[], isolated: boolean): void {
  for (const role of roles) {
    for (const interfaceName of interfaceNames) {
      ip(['-n', topology.bridgeNamespace, 'link', 'set', 'dev', topology.port(role, interfaceName), 'type', 'bridge_slave', 'isolated', isolated ? 'on' : 'off']);
    }
  }
}

/**
 * LVS-DR real servers accept packets for the VIP (on loopback) but never answer ARP for it, so
 * only the director holding the VIP does.
 */
export function prepareDirectRouting(topology: Topology, vips: readonly string[]): void {
  for (const server of topology.realServers) {
    inNamespace(server.namespace, () => {
      writeFileSync('/proc/sys/net/ipv4/conf/all/arp_ignore', '1');
      writeFileSync('/proc/sys/net/ipv4/conf/all/arp_announce', '2');
    });
    const lines = vips.map((vip) => `addr add ${vip}/${vip.includes(':') ? 128 : 32} dev lo`);
    ip(['-n', server.namespace, '-batch', '-'], lines.join('\n') + '\n');
  }
}

/** Deletes namespaces (their links and addresses go with them). Synchronous; never throws. */
export function deleteNamespaces(names: readonly string[]): void {
  for (const name of names) {
    if (existsSync(`/run/netns/${name}`)) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  }
}

/** Every lab namespace on this host, of any run. */
export function labNamespaces(): string[] {
  return existsSync('/run/netns') ? readdirSync('/run/netns').filter((name) => name.startsWith(LAB_PREFIX)) : [];
}
