// What the lab builds and watches, read from the director config: the director ids (its `@id`
// lines), each director's priority, the LANs its VRRP instances sit on, and the first instance's
// VIPs and timers (the instance every scenario measures). Pure apart from parsing the text.
import { parseConfigText } from '../config/parse.js';
import type { ConfigTree, Statement } from '../config/tree.js';

export interface LanPlan {
  /** The interface name every director uses for this LAN (eth0). */
  readonly interfaceName: string;
  readonly family: 4 | 6;
  readonly prefixLength: number;
  /** Host address `n` on this LAN (n = 11 for the first director, 50 for the client, ...). */
  readonly host: (n: number) => string;
}

export interface DirectorPlan {
  readonly id: string;
  /** Priority of the measured instance. */
  readonly priority: number;
  /** Address per interface name (without prefix length). */
  readonly addresses: ReadonlyMap<string, string>;
}

export interface MeasuredInstance {
  readonly name: string;
  readonly interfaceName: string;
  readonly vips: readonly string[];
  readonly version: 2 | 3;
  readonly advertIntSeconds: number;
  readonly unicast: boolean;
  /** higher_prio_send_advert (instance or global): a healed partition moves the client back at once. */
  readonly higherPrioSendAdvert: boolean;
}

export interface LabPlan {
  readonly directors: readonly DirectorPlan[];
  readonly lans: readonly LanPlan[];
  readonly instance: MeasuredInstance;
  /** The director expected to be master when all are up (highest priority, then highest address). */
  readonly primary: string;
  /** The one expected to take over when the primary fails. */
  readonly backup: string;
  readonly clientAddress: string;
  readonly realServerAddresses: readonly string[];
  readonly hasVirtualServer: boolean;
  /** A virtual_server forwards by direct routing (lb_kind DR): real servers must hold the VIP. */
  readonly directRouting: boolean;
  /** keepalived's master-down interval of the backup, in seconds. */
  readonly masterDownSeconds: number;
}

export type PlanResult = { ok: true; plan: LabPlan } | { ok: false; error: string };

/** The ids a config's `@id` lines name, in order of appearance (keepalived's `@^id` excluded). */
export function conditionalIds(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(/^[ \t]*@([A-Za-z0-9_.-]+)[ \t]/gm)) {
    const id = match[1]!;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function planLab(text: string, fileName: string, directorIds: readonly string[]): PlanResult {
  if (directorIds.length < 2) return { ok: false, error: `the lab needs at least two directors (got ${directorIds.length})` };
  const trees = directorIds.map((id) => ({ id, tree: parseConfigText(text, fileName, { configId: id, env: {} }) }));
  for (const { id, tree } of trees) {
    const errors = tree.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return { ok: false, error: `${fileName} (as ${id}): ${errors[0]!.message}` };
  }
  const instancesById = trees.map(({ id, tree }) => ({ id, instances: blocks(tree.tree, 'vrrp_instance'), tree: tree.tree }));
  const first = instancesById[0]!;
  const measured = first.instances[0];
  if (!measured) return { ok: false, error: `${fileName} has no vrrp_instance` };
  const lans = lanPlans(first.instances);
  if (!lans.ok) return lans;
  const instance = measuredInstance(measured, first.tree);
  if (instance.vips.length === 0) return { ok: false, error: `${fileName}: instance ${instance.name} has no virtual_ipaddress` };

  const directors: DirectorPlan[] = instancesById.map(({ id, instances }, position) => {
    const addresses = new Map<string, string>();
    for (const lan of lans.value) {
      const onLan = instances.find((block) => word(block, 'interface') === lan.interfaceName);
      addresses.set(lan.interfaceName, (onLan && word(onLan, 'unicast_src_ip')) ?? lan.host(11 + position));
    }
    const same = instances.find((block) => block.args[0]?.text === instance.name);
    return { id, priority: Number(same && word(same, 'priority') ? word(same, 'priority') : 100), addresses };
  });
  const ranked = [...directors].sort((a, b) => b.priority - a.priority || compareAddresses(b, a, instance.interfaceName));
  const mainLan = lans.value.find((lan) => lan.interfaceName === instance.interfaceName) ?? lans.value[0]!;
  const backupPriority = ranked[1]!.priority;
  return {
    ok: true,
    plan: {
      directors,
      lans: lans.value,
      instance,
      primary: ranked[0]!.id,
      backup: ranked[1]!.id,
      clientAddress: mainLan.host(50),
      realServerAddresses: [mainLan.host(21), mainLan.host(22)],
      hasVirtualServer: first.tree.some((statement) => statement.keyword.text === 'virtual_server' || statement.keyword.text === 'virtual_server_group'),
      directRouting: blocks(first.tree, 'virtual_server').some((server) => word(server, 'lb_kind')?.toUpperCase() === 'DR'),
      masterDownSeconds: masterDownInterval(instance, backupPriority),
    },
  };
}

/** RFC 3768 / RFC 5798 Master_Down_Interval for a director of this priority. */
export function masterDownInterval(instance: Pick<MeasuredInstance, 'version' | 'advertIntSeconds'>, priority: number): number {
  const skew = instance.version === 2 ? (256 - priority) / 256 : ((256 - priority) * instance.advertIntSeconds) / 256;
  return 3 * instance.advertIntSeconds + skew;
}

function measuredInstance(block: Statement, tree: ConfigTree): MeasuredInstance {
  const globalVersion = blocks(tree, 'global_defs').map((defs) => word(defs, 'vrrp_version')).find((v) => v !== undefined);
  const version = (word(block, 'version') ?? globalVersion) === '3' ? 3 : 2;
  return {
    name: block.args[0]?.text ?? '',
    interfaceName: word(block, 'interface') ?? 'eth0',
    vips: (child(block, 'virtual_ipaddress')?.block ?? []).map((line) => line.keyword.text.split('/')[0]!),
    version,
    advertIntSeconds: Number(word(block, 'advert_int') ?? 1),
    unicast: child(block, 'unicast_peer') !== undefined,
    higherPrioSendAdvert: flag(child(block, 'higher_prio_send_advert') ?? blocks(tree, 'global_defs').map((defs) => child(defs, 'vrrp_higher_prio_send_advert')).find((s) => s !== undefined)),
  };
}

/** One LAN per interface the instances use, addressed after the first VIP (or unicast source) on it. */
function lanPlans(instances: readonly Statement[]): { ok: true; value: LanPlan[] } | { ok: false; error: string } {
  const lans: LanPlan[] = [];
  for (const block of instances) {
    const interfaceName = word(block, 'interface') ?? 'eth0';
    if (lans.some((lan) => lan.interfaceName === interfaceName)) continue;
    const sample = word(block, 'unicast_src_ip') ?? child(block, 'virtual_ipaddress')?.block?.[0]?.keyword.text.split('/')[0];
    if (!sample) return { ok: false, error: `instance ${block.args[0]?.text ?? '?'} on ${interfaceName} has no address to place its LAN by` };
    const lan = lanAround(interfaceName, sample);
    if (!lan) return { ok: false, error: `cannot place a LAN around ${sample}` };
    lans.push(lan);
  }
  return { ok: true, value: lans };
}

/** A /24 (IPv4) or /64 (IPv6) holding `sample`. */
export function lanAround(interfaceName: string, sample: string): LanPlan | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(sample)) {
    const net = sample.split('.').slice(0, 3).join('.');
    return { interfaceName, family: 4, prefixLength: 24, host: (n) => `${net}.${n}` };
  }
  const groups = expandIPv6(sample);
  if (!groups) return undefined;
  const net = groups.slice(0, 4).map((g) => g.toString(16)).join(':');
  return { interfaceName, family: 6, prefixLength: 64, host: (n) => `${net}::${n}` };
}

function expandIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function compareAddresses(a: DirectorPlan, b: DirectorPlan, interfaceName: string): number {
  const key = (d: DirectorPlan) => (d.addresses.get(interfaceName) ?? '').split(/[.:]/).map((p) => p.padStart(5, '0')).join('.');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function blocks(statements: readonly Statement[], keyword: string): Statement[] {
  return statements.filter((statement) => statement.keyword.text === keyword && statement.block !== undefined);
}

function child(block: Statement, keyword: string): Statement | undefined {
  return block.block?.find((statement) => statement.keyword.text === keyword);
}

/** A keepalived boolean keyword: on when present, unless its argument says otherwise. */
function flag(statement: Statement | undefined): boolean {
  if (statement === undefined) return false;
  const value = statement.args[0]?.text.toLowerCase();
  return value === undefined || !['false', 'off', 'no', '0'].includes(value);
}

function word(block: Statement, keyword: string): string | undefined {
  return child(block, keyword)?.args[0]?.text;
}
