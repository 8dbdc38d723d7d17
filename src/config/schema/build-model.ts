// Checked block tree → typed Config. Reads only what the checker accepted, applies keepalived's
// defaults, and keeps every given keyword in `settings`. Checks that need more than one block
// live in validate.ts; this file only reports what it alone can see (a block's own contents).
import type {
  Checker, Located, CheckerKind, Config, GlobalDefs, HttpUrl, RealServer, ScriptCommand, SettingValue, Settings, TrackFile,
  VirtualServer, VirtualServerGroup, VrrpInstance, VrrpScript, VrrpSyncGroup,
} from '../model.js';
import type { AddressSpec } from '../values/address.js';
import type { PeerSpec } from '../values/peer.js';
import type { RouteSpec } from '../values/route.js';
import type { RuleSpec } from '../values/rule.js';
import { isNftIdentifier } from '../values/nft-identifier.js';
import { type ServiceAddress, parseServiceAddress } from '../values/service-address.js';
import type { TrackedSpec } from '../values/tracked.js';
import { type CheckedBlock, type CheckedStatement, type DiagnosticSink, checkedBlock } from './check.js';

/** Statements of a block by canonical name, built once per block (blocks are read many times). */
function indexOf(block: CheckedBlock): Map<string, CheckedStatement[]> {
  let index = block.byName;
  if (index === undefined) {
    index = new Map();
    for (const statement of block.statements) {
      const list = index.get(statement.name);
      if (list) list.push(statement);
      else index.set(statement.name, [statement]);
    }
    block.byName = index;
  }
  return index;
}
const NONE: readonly CheckedStatement[] = [];
/** Small blocks (most real_servers and checkers) are cheaper to scan than to index. */
const SCAN_LIMIT = 8;
function all(block: CheckedBlock | undefined, name: string): readonly CheckedStatement[] {
  if (!block) return NONE;
  const statements = block.statements;
  if (statements.length > SCAN_LIMIT) return indexOf(block).get(name) ?? NONE;
  // Counted first so the result is exactly sized (filter's array keeps room for 16 more).
  let count = 0;
  for (const statement of statements) if (statement.name === name) count++;
  if (count === 0) return NONE;
  const found = new Array<CheckedStatement>(count);
  count = 0;
  for (const statement of statements) if (statement.name === name) found[count++] = statement;
  return found;
}
function last(block: CheckedBlock | undefined, name: string): CheckedStatement | undefined {
  if (!block) return undefined;
  const statements = block.statements;
  if (statements.length > SCAN_LIMIT) return indexOf(block).get(name)?.at(-1);
  for (let i = statements.length - 1; i >= 0; i--) if (statements[i]!.name === name) return statements[i];
  return undefined;
}
const has = (block: CheckedBlock | undefined, name: string): boolean => last(block, name) !== undefined;
const num = (block: CheckedBlock | undefined, name: string): number | undefined => {
  const value = last(block, name)?.value;
  return typeof value === 'number' ? value : undefined;
};
const text = (block: CheckedBlock | undefined, name: string): string | undefined => {
  const value = last(block, name)?.value;
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : undefined;
};
/** A <BOOL> keyword: absent → false; given alone → true; given with a word → that word. */
const flag = (block: CheckedBlock | undefined, name: string): boolean => {
  const statement = last(block, name);
  return statement !== undefined && statement.value !== false;
};
const lines = <T>(block: CheckedBlock | undefined, name: string): T[] => all(block, name).flatMap((s) => (s.lines ?? []).map((l) => l.value as T));
/** Value-block lines that are objects, each with the place it was written. */
const located = <T extends object>(block: CheckedBlock | undefined, name: string): Located<T>[] =>
  all(block, name).flatMap((s) => (s.lines ?? []).map((l) => ({ ...(l.value as T), loc: l.loc })));

function statementSetting(statement: CheckedStatement): SettingValue {
  if (statement.block) return settingsOf(statement.block);
  if (statement.lines) return statement.lines.map((l) => l.value);
  return statement.value as SettingValue;
}

/**
 * Every statement of a block by canonical name; repeated keywords become arrays. Built once per
 * block: a block's settings are also part of its parent's (a real_server's inside its
 * virtual_server's), and the model shares the one object.
 */
function settingsOf(block: CheckedBlock): Settings {
  let settings = block.settings;
  if (settings === undefined) {
    settings = collectSettings(block);
    block.settings = settings;
  }
  return settings;
}

function collectSettings(block: CheckedBlock): Settings {
  const settings: Record<string, SettingValue> = {};
  for (const statement of block.statements) {
    const value = statementSetting(statement);
    if (statement.spec.repeatable) {
      const list = settings[statement.name] as SettingValue[] | undefined;
      if (list) list.push(value);
      else settings[statement.name] = [value];
    } else {
      settings[statement.name] = value;
    }
  }
  return settings;
}

/** `script "cmd args"` style: the whole line is the command. */
function wholeCommand(statement: CheckedStatement | undefined): ScriptCommand | undefined {
  if (!statement || !Array.isArray(statement.value)) return undefined;
  return { command: (statement.value as string[]).join(' '), loc: statement.loc };
}

/** `notify_master "cmd args" [user [group]]` style: first word is the command. */
function notifyCommand(statement: CheckedStatement | undefined): ScriptCommand | undefined {
  if (!statement || !Array.isArray(statement.value)) return undefined;
  const [command, user, group] = statement.value as string[];
  return { command: command!, loc: statement.loc, ...(user !== undefined && { user: user.replace(/^:/, '') }), ...(group !== undefined && { group: group.replace(/^:/, '') }) };
}

function weightOf(block: CheckedBlock | undefined, fallback: number): { weight: number; reverse: boolean } {
  const value = last(block, 'weight')?.value;
  if (!Array.isArray(value)) return { weight: fallback, reverse: false };
  const [weight, direction] = value as string[];
  return { weight: Number.isInteger(Number(weight)) ? Number(weight) : fallback, reverse: direction === 'reverse' };
}

/** Weights tracked objects carry themselves, used when a tracking line gives none. */
interface OwnWeights {
  readonly script: ReadonlyMap<string, number>;
  readonly file: ReadonlyMap<string, number>;
}

export class ModelBuilder {
  constructor(private readonly sink: DiagnosticSink) {}

  /**
   * The Config of a checked root block. `virtualServers`, when given, are the block's
   * virtual_servers already built by `virtualServer` (in file order) and the root holds none.
   */
  build(root: CheckedBlock, virtualServers?: readonly VirtualServer[]): Config {
    const globalBlocks = all(root, 'global_defs').map((s) => s.block!);
    const global = checkedBlock('global_defs', globalBlocks.flatMap((b) => b.statements));
    const globalDefs = this.globalDefs(global);
    const modelled = new Set([
      'global_defs', 'vrrp_instance', 'vrrp_sync_group', 'vrrp_script', 'track_file', 'vrrp_track_process', 'virtual_server_group',
      'virtual_server', 'static_ipaddress', 'static_routes', 'static_rules',
    ]);
    const other = checkedBlock('root', root.statements.filter((s) => !modelled.has(s.name)));
    const vrrpScripts = this.unique(all(root, 'vrrp_script'), 'vrrp_script').map((s) => this.vrrpScript(s));
    const trackFiles = this.unique(all(root, 'track_file'), 'track_file').map((s) => this.trackFile(s));
    const ownWeights: OwnWeights = {
      script: new Map(vrrpScripts.map((s) => [s.name, s.weight])),
      file: new Map(trackFiles.map((f) => [f.name, f.weight])),
    };
    return {
      global: globalDefs,
      vrrpInstances: this.unique(all(root, 'vrrp_instance'), 'vrrp instance').map((s) => this.vrrpInstance(s, globalDefs, ownWeights)),
      vrrpSyncGroups: this.unique(all(root, 'vrrp_sync_group'), 'vrrp_sync_group').map((s) => this.syncGroup(s)),
      vrrpScripts,
      trackFiles,
      trackProcesses: this.unique(all(root, 'vrrp_track_process'), 'vrrp_track_process').map((s) => ({ name: s.value as string, loc: s.loc, settings: settingsOf(s.block!) })),
      virtualServerGroups: this.unique(all(root, 'virtual_server_group'), 'virtual_server_group').map((s) => this.virtualServerGroup(s)),
      virtualServers: virtualServers ?? all(root, 'virtual_server').flatMap((s) => this.virtualServer(s) ?? []),
      staticAddresses: located<AddressSpec>(root, 'static_ipaddress'),
      staticRoutes: located<RouteSpec>(root, 'static_routes'),
      staticRules: located<RuleSpec>(root, 'static_rules'),
      otherSettings: settingsOf(other),
    };
  }

  /** Named blocks: the first of a name wins, later ones are reported and dropped. */
  private unique(statements: readonly CheckedStatement[], what: string): CheckedStatement[] {
    const seen = new Set<string>();
    return statements.filter((s) => {
      const name = String(s.value);
      if (!seen.has(name)) return seen.add(name);
      this.sink.report('KTS_DUPLICATE_NAME', s.loc, `${what} ${name} already defined`);
      return false;
    });
  }

  private globalDefs(block: CheckedBlock): GlobalDefs {
    const scriptUser = last(block, 'script_user')?.value as string[] | undefined;
    const routerId = text(block, 'router_id');
    const garpInterval = num(block, 'vrrp_garp_interval');
    const gnaInterval = num(block, 'vrrp_gna_interval');
    const nftables = last(block, 'nftables');
    if (typeof nftables?.value === 'string' && nftables.value !== '' && !isNftIdentifier(nftables.value)) {
      this.sink.report('KTS_NFTABLES_NAME', nftables.loc, `nftables table name "${nftables.value}" is not an nft identifier; table keepalived is used instead`,
        'a letter or _, then letters, digits, _ . / - (at most 64)');
    }
    return {
      ...(routerId !== undefined && { routerId }),
      vrrpStrict: has(block, 'vrrp_strict'),
      vrrpVersion: num(block, 'vrrp_version') === 3 ? 3 : 2,
      vrrpMcastGroup4: text(block, 'vrrp_mcast_group4') ?? '224.0.0.18',
      vrrpMcastGroup6: text(block, 'vrrp_mcast_group6') ?? 'ff02::12',
      vrrpGarpMasterDelay: num(block, 'vrrp_garp_master_delay') ?? 5,
      vrrpGarpMasterRepeat: num(block, 'vrrp_garp_master_repeat') ?? 5,
      vrrpGarpMasterRefresh: num(block, 'vrrp_garp_master_refresh') ?? 0,
      vrrpGarpMasterRefreshRepeat: num(block, 'vrrp_garp_master_refresh_repeat') ?? 1,
      ...(garpInterval !== undefined && { vrrpGarpInterval: garpInterval }),
      ...(gnaInterval !== undefined && { vrrpGnaInterval: gnaInterval }),
      vrrpSkipCheckAdvAddr: flag(block, 'vrrp_skip_check_adv_addr'),
      vrrpCheckUnicastSrc: has(block, 'vrrp_check_unicast_src'),
      enableScriptSecurity: has(block, 'enable_script_security'),
      ...(scriptUser && {
        scriptUser: { user: scriptUser[0]!.split(':')[0]!, ...(scriptUser[1] !== undefined || scriptUser[0]!.includes(':') ? { group: (scriptUser[1] ?? scriptUser[0]!.split(':')[1]!).replace(/^:/, '') } : {}) },
      }),
      defaultInterface: text(block, 'default_interface') ?? 'eth0',
      settings: settingsOf(block),
    };
  }

  private vrrpInstance(statement: CheckedStatement, global: GlobalDefs, ownWeights: OwnWeights): VrrpInstance {
    const block = statement.block!;
    const name = statement.value as string;
    const priority = num(block, 'priority') ?? 100;
    // The address owner (priority 255) never changes priority: keepalived drops weighted trackers.
    const tracked = (keyword: string, what: string, fallback: (name: string) => number | undefined, limit = 254): Located<TrackedSpec>[] =>
      located<TrackedSpec>(block, keyword).flatMap((t) => {
        if (priority === 255 && (t.weight ?? fallback(t.name) ?? 0) !== 0) {
          this.sink.report('KTS_IGNORED_SETTING', t.loc, `(${name}) ignoring ${what} ${t.name} with a weight: the address owner (priority 255) keeps its priority`);
          return [];
        }
        if (t.weight === undefined || Math.abs(t.weight) <= limit) return [t];
        this.sink.report('KTS_VALUE_TRUNCATED', t.loc, `(${name}) weight of ${what} ${t.name} cannot be ±${Math.abs(t.weight)}; set to ±${limit}`);
        return [{ ...t, weight: Math.sign(t.weight) * limit }];
      });
    const addresses = located<AddressSpec>(block, 'virtual_ipaddress');
    const peers = located<PeerSpec>(block, 'unicast_peer');
    const family = addresses[0]?.family ?? (peers[0]?.family === 'inet6' ? 'inet6' : 'inet');
    const version = family === 'inet6' ? 3 : ((num(block, 'version') ?? global.vrrpVersion) as 2 | 3);
    const auth = last(block, 'authentication')?.block;
    const authType = text(auth, 'auth_type') as 'PASS' | 'AH' | undefined;
    const authPass = text(auth, 'auth_pass');
    const strict = global.vrrpStrict || flag(block, 'strict_mode');
    const notify = {
      master: notifyCommand(last(block, 'notify_master')),
      backup: notifyCommand(last(block, 'notify_backup')),
      fault: notifyCommand(last(block, 'notify_fault')),
      stop: notifyCommand(last(block, 'notify_stop')),
      any: notifyCommand(last(block, 'notify')),
    };
    const useVmac = last(block, 'use_vmac')?.value as string[] | undefined;
    return {
      name,
      loc: statement.loc,
      // Under vrrp_strict keepalived starts a MASTER that is not the address owner as BACKUP.
      initialState: text(block, 'state') === 'MASTER' && !(strict && priority !== 255) ? 'MASTER' : 'BACKUP',
      interface: text(block, 'interface'),
      virtualRouterId: num(block, 'virtual_router_id'),
      priority,
      advertInterval: roundAdvert(num(block, 'advert_int') ?? 1, version),
      version,
      family,
      virtualAddresses: addresses.filter((a) => a.family === family),
      excludedAddresses: located<AddressSpec>(block, 'virtual_ipaddress_excluded'),
      virtualRoutes: located<RouteSpec>(block, 'virtual_routes'),
      virtualRules: located<RuleSpec>(block, 'virtual_rules'),
      // vrrp_strict has no authentication: keepalived ignores the block (with a warning).
      authentication: authType === undefined || strict ? undefined : { type: authType, password: authPass?.slice(0, 8) },
      trackScripts: tracked('track_script', 'tracked script', (n) => ownWeights.script.get(n), 253),
      trackInterfaces: tracked('track_interface', 'tracked interface', () => 0, 253),
      trackFiles: tracked('track_file', 'tracked file', (n) => ownWeights.file.get(n)),
      trackProcesses: located<TrackedSpec>(block, 'track_process'),
      preempt: !has(block, 'nopreempt') || text(block, 'state') === 'MASTER',
      // keepalived clears preempt_delay (and nopreempt) for an instance that starts as MASTER.
      preemptDelay: text(block, 'state') === 'MASTER' || has(block, 'nopreempt') ? 0 : (num(block, 'preempt_delay') ?? 0),
      unicastSourceIp: text(block, 'unicast_src_ip'),
      unicastPeers: peers.filter((p) => p.family === family),
      mcastSourceIp: text(block, 'mcast_src_ip'),
      notify,
      garp: {
        masterDelay: num(block, 'garp_master_delay') ?? global.vrrpGarpMasterDelay,
        masterRepeat: num(block, 'garp_master_repeat') ?? global.vrrpGarpMasterRepeat,
        masterRefresh: num(block, 'garp_master_refresh') ?? global.vrrpGarpMasterRefresh,
        masterRefreshRepeat: num(block, 'garp_master_refresh_repeat') ?? global.vrrpGarpMasterRefreshRepeat,
      },
      strict,
      accept: has(block, 'accept') || (!strict && !has(block, 'no_accept')),
      useVmac: useVmac,
      noVirtualIpaddress: has(block, 'no_virtual_ipaddress'),
      settings: settingsOf(block),
    };
  }

  private syncGroup(statement: CheckedStatement): VrrpSyncGroup {
    const block = statement.block!;
    return {
      name: statement.value as string,
      loc: statement.loc,
      members: lines<string>(block, 'group'),
      notify: {
        master: notifyCommand(last(block, 'notify_master')),
        backup: notifyCommand(last(block, 'notify_backup')),
        fault: notifyCommand(last(block, 'notify_fault')),
        stop: notifyCommand(last(block, 'notify_stop')),
        any: notifyCommand(last(block, 'notify')),
      },
      settings: settingsOf(block),
    };
  }

  private vrrpScript(statement: CheckedStatement): VrrpScript {
    const block = statement.block!;
    const interval = num(block, 'interval') ?? 1;
    const { weight, reverse } = weightOf(block, 0);
    const timeout = num(block, 'timeout');
    return {
      name: statement.value as string,
      loc: statement.loc,
      script: wholeCommand(last(block, 'script')),
      interval,
      timeout: timeout,
      weight,
      weightReverse: reverse,
      fall: num(block, 'fall') ?? 1,
      rise: num(block, 'rise') ?? 1,
      initFail: has(block, 'init_fail'),
      settings: settingsOf(block),
    };
  }

  private trackFile(statement: CheckedStatement): TrackFile {
    const block = statement.block!;
    const { weight, reverse } = weightOf(block, 1);
    return { name: statement.value as string, loc: statement.loc, file: text(block, 'file'), weight, weightReverse: reverse, settings: settingsOf(block) };
  }

  private virtualServerGroup(statement: CheckedStatement): VirtualServerGroup {
    return { name: statement.value as string, loc: statement.loc, members: (statement.lines ?? []).map((l) => l.value as ServiceAddress) };
  }

  private service(statement: CheckedStatement, what: string, allowGroup: boolean): ServiceAddress | undefined {
    const result = parseServiceAddress(statement.args, what, { group: allowGroup });
    for (const p of result.problems) this.sink.report(p.code, p.at.loc, p.message, p.hint);
    return result.value;
  }

  /** A checked virtual_server statement's model; undefined when its service address is unusable (reported). */
  virtualServer(statement: CheckedStatement): VirtualServer | undefined {
    const service = this.service(statement, 'virtual_server', true);
    if (!service) return undefined;
    const block = statement.block!;
    const delayLoop = num(block, 'delay_loop') ?? 60;
    const persistence = last(block, 'persistence_timeout');
    const sorry = last(block, 'sorry_server');
    const sorryServer = sorry ? this.service(sorry, 'sorry_server', false) : undefined;
    return {
      service,
      loc: statement.loc,
      scheduler: text(block, 'lvs_sched'),
      forwarding: text(block, 'lvs_method'),
      // keepalived 2.2.7 sets UDP when an address service names no protocol (reported by validate).
      protocol: (text(block, 'protocol') ?? (service.kind === 'fwmark' ? undefined : 'UDP')) as VirtualServer['protocol'],
      ...(persistence && { persistenceTimeout: typeof persistence.value === 'number' ? persistence.value : 360 }),
      persistenceGranularity: text(block, 'persistence_granularity'),
      delayLoop,
      connectTimeout: num(block, 'connect_timeout') ?? 5,
      retry: num(block, 'retry'),
      delayBeforeRetry: num(block, 'delay_before_retry'),
      quorum: num(block, 'quorum') ?? 1,
      hysteresis: num(block, 'hysteresis') ?? 0,
      quorumUp: wholeCommand(last(block, 'quorum_up')),
      quorumDown: wholeCommand(last(block, 'quorum_down')),
      sorryServer: sorryServer,
      sorryServerInhibit: flag(block, 'sorry_server_inhibit'),
      inhibitOnFailure: flag(block, 'inhibit_on_failure'),
      alpha: flag(block, 'alpha'),
      omega: has(block, 'omega'),
      virtualhost: text(block, 'virtualhost'),
      realServers: this.realServers(all(block, 'real_server')),
      settings: settingsOf(block),
    };
  }

  /** The usable real_servers of a virtual_server (a loop: a large config has ten thousand). */
  private realServers(statements: readonly CheckedStatement[]): RealServer[] {
    const servers: RealServer[] = [];
    for (const statement of statements) {
      const server = this.realServer(statement);
      if (server !== undefined) servers.push(server);
    }
    return servers;
  }

  private realServer(statement: CheckedStatement): RealServer | undefined {
    const service = this.service(statement, 'real_server', false);
    if (!service || service.kind !== 'address') return undefined;
    const block = statement.block!;
    // Exactly sized: the model keeps this array (one per real_server).
    let count = 0;
    for (const s of block.statements) if (s.block && isCheckerName(s.name)) count++;
    const checkers = new Array<Checker>(count);
    count = 0;
    for (const s of block.statements) if (s.block && isCheckerName(s.name)) checkers[count++] = this.checker(s);
    return {
      address: service.address,
      family: service.family,
      port: service.port,
      loc: statement.loc,
      weight: num(block, 'weight') ?? 1,
      inhibitOnFailure: flag(block, 'inhibit_on_failure'),
      checkers,
      notifyUp: wholeCommand(last(block, 'notify_up')),
      notifyDown: wholeCommand(last(block, 'notify_down')),
      settings: settingsOf(block),
    };
  }

  private checker(statement: CheckedStatement): Checker {
    const block = statement.block!;
    const urls: HttpUrl[] = all(block, 'url').map((u) => ({
      path: text(u.block, 'path'),
      digest: text(u.block, 'digest'),
      statusCodes: (last(u.block, 'status_code')?.value as string[] | undefined) ?? [],
      virtualhost: text(u.block, 'virtualhost'),
    }));
    return {
      kind: statement.name as CheckerKind,
      loc: statement.loc,
      connectIp: text(block, 'connect_ip'),
      connectPort: num(block, 'connect_port'),
      bindTo: text(block, 'bindto'),
      connectTimeout: num(block, 'connect_timeout'),
      retry: num(block, 'retry'),
      delayBeforeRetry: num(block, 'delay_before_retry'),
      delayLoop: num(block, 'delay_loop'),
      warmup: num(block, 'warmup'),
      urls,
      miscPath: wholeCommand(last(block, 'misc_path')),
      miscTimeout: num(block, 'misc_timeout'),
      miscDynamic: has(block, 'misc_dynamic'),
      settings: settingsOf(block),
    };
  }
}

/** Checker blocks are the upper-case keywords of a real_server (TCP_CHECK, HTTP_GET, ...). */
function isCheckerName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c !== 95 /* _ */ && (c < 65 || c > 90)) return false;
  }
  return name.length > 0;
}

/** keepalived rounds a v2 interval to whole seconds (min 1) and a v3 one to 10 ms (min 10 ms). */
export function roundAdvert(seconds: number, version: 2 | 3): number {
  if (version === 2) return Math.min(255, Math.max(1, Math.round(seconds)));
  return Math.min(40.95, Math.max(0.01, Math.round(seconds * 100) / 100));
}

