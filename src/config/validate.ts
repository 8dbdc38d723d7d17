// Cross-checks over the typed Config that keepalived also makes once the whole file is read:
// references resolve, VRIDs do not collide, settings that contradict each other. Pure: it looks
// at nothing but the model; checks against the running system are in validate-system.ts.
import type { Checker, Config, Settings, VrrpInstance } from './model.js';
import { pcreOnlyEscapes, regexOptions } from './values/regex-options.js';
import type { DiagnosticSink } from './schema/check.js';

export function validateConfig(config: Config, sink: DiagnosticSink): void {
  const scripts = new Set(config.vrrpScripts.filter((s) => s.script !== undefined).map((s) => s.name));
  for (const script of config.vrrpScripts) {
    if (!script.script) sink.report('KTS_SCRIPT_WITHOUT_COMMAND', script.loc, `vrrp_script ${script.name} has no script; it is removed`, 'add `script "/path/to/check"`');
  }
  const files = new Set(config.trackFiles.map((f) => f.name));
  const processes = new Set(config.trackProcesses.map((p) => p.name));
  const instances = new Set(config.vrrpInstances.map((i) => i.name));
  for (const instance of config.vrrpInstances) {
    validateInstance(instance, sink);
    const missing = (kind: string, names: readonly { name: string }[], known: ReadonlySet<string>) => {
      for (const tracked of names) {
        if (!known.has(tracked.name)) sink.report('KTS_UNDEFINED_REFERENCE', instance.loc, `(${instance.name}) ${kind} ${tracked.name} not found, ignoring`);
      }
    };
    missing('track script', instance.trackScripts, scripts);
    missing('track file', instance.trackFiles, files);
    missing('track process', instance.trackProcesses, processes);
  }
  for (const group of config.vrrpSyncGroups) {
    if (group.members.length === 0) {
      sink.report('KTS_EMPTY_SYNC_GROUP', group.loc, `sync group ${group.name} has no members; it is removed`, 'list members inside `group { VI_1 VI_2 }`');
    } else if (group.members.length === 1) {
      sink.report('KTS_SYNC_GROUP_SINGLE', group.loc, `sync group ${group.name} has only one member`, 'a sync group ties two or more instances together');
    }
    for (const member of group.members) {
      if (!instances.has(member)) sink.report('KTS_UNDEFINED_REFERENCE', group.loc, `sync group ${group.name}: vrrp_instance ${member} not found`);
    }
  }
  for (const group of config.virtualServerGroups) {
    if (group.members.length === 0) sink.report('KTS_EMPTY_VS_GROUP', group.loc, `virtual_server_group ${group.name} has no entries; it is removed`);
  }
  const groups = new Set(config.virtualServerGroups.filter((g) => g.members.length > 0).map((g) => g.name));
  for (const server of config.virtualServers) {
    if (server.service.kind === 'group' && !groups.has(server.service.group)) {
      sink.report('KTS_VS_GROUP_UNDEFINED', server.loc, `virtual_server group ${server.service.group} not found; nothing is configured for it`);
    }
    const noProtocol = server.service.kind !== 'fwmark' && server.settings['protocol'] === undefined;
    if (server.scheduler === undefined || server.forwarding === undefined || noProtocol) {
      const what = [
        server.forwarding === undefined && 'forwarding method (NAT)',
        server.scheduler === undefined && "scheduler ('wlc')",
        noProtocol && 'protocol (keepalived 2.2.7 defaults to UDP)',
      ].filter(Boolean).join(', ');
      sink.report('KTS_VS_DEFAULTED', server.loc, `virtual_server has no ${what}; the default is used`, 'set lvs_method / lvs_sched explicitly');
    }
    if (server.realServers.length === 0) sink.report('KTS_VS_NO_REAL_SERVERS', server.loc, 'virtual_server has no real_server; it is ignored');
    else checkQuorum(server, sink);
    for (const real of server.realServers) {
      for (const checker of real.checkers) {
        if ((checker.kind === 'HTTP_GET' || checker.kind === 'SSL_GET') && checker.urls.length === 0) {
          sink.report('KTS_CHECKER_NO_URL', checker.loc, `${checker.kind} has no url { } block; the checker is ignored`, 'add `url { path / status_code 200 }`');
        }
        checkUrlRegexes(checker, sink);
      }
    }
    if (server.service.kind === 'fwmark' && server.settings['protocol'] !== undefined) {
      sink.report('KTS_VS_FWMARK_PROTOCOL', server.loc, 'protocol specified for a fwmark virtual_server is ignored');
    }
  }
  checkVridCollisions(config, sink);
  checkSyncGroupWeights(config, sink);
}

/**
 * Members of a sync group change state together, so keepalived ignores their weighted trackers
 * (unless the group sets sync_group_tracking_weight) and says so for each.
 */
function checkSyncGroupWeights(config: Config, sink: DiagnosticSink): void {
  const scriptWeights = new Map(config.vrrpScripts.map((s) => [s.name, s.weight]));
  const fileWeights = new Map(config.trackFiles.map((f) => [f.name, f.weight]));
  for (const group of config.vrrpSyncGroups) {
    if (group.settings['sync_group_tracking_weight'] !== undefined) continue;
    for (const member of config.vrrpInstances.filter((i) => group.members.includes(i.name))) {
      const weighted = [
        ...member.trackInterfaces.filter((t) => (t.weight ?? 0) !== 0).map((t) => `tracked interface ${t.name}`),
        ...member.trackScripts.filter((t) => (t.weight ?? scriptWeights.get(t.name) ?? 0) !== 0).map((t) => `tracked script ${t.name}`),
        ...member.trackFiles.filter((t) => (t.weight ?? fileWeights.get(t.name) ?? 0) !== 0).map((t) => `tracked file ${t.name}`),
      ];
      for (const what of weighted) {
        sink.report('KTS_IGNORED_SETTING', member.loc, `(${member.name}) weight of ${what} is ignored in sync group ${group.name}`, 'set sync_group_tracking_weight in the group, or use weight 0');
      }
    }
  }
}

/** Keywords that ask for unicast; keepalived falls back to multicast when no peer is left. */
const UNICAST_WORDS = ['unicast_peer', 'unicast_src_ip', 'check_unicast_src'];

function validateInstance(instance: VrrpInstance, sink: DiagnosticSink): void {
  const label = `(${instance.name})`;
  if (instance.virtualRouterId === undefined) sink.report('KTS_MISSING_REQUIRED', instance.loc, `${label} the virtual router id must be set`, 'add `virtual_router_id 1..255`');
  if (instance.interface === undefined) sink.report('KTS_MISSING_REQUIRED', instance.loc, `${label} has no interface`, 'add `interface eth0`');
  if (instance.virtualAddresses.length === 0 && !instance.noVirtualIpaddress) {
    sink.report('KTS_NO_VIPS', instance.loc, `${label} has no virtual_ipaddress`, 'add one, or `no_virtual_ipaddress` if that is intended');
  }
  const settings = instance.settings;
  if (settings['preempt_delay'] !== undefined && settings['nopreempt'] !== undefined && instance.initialState !== 'MASTER') {
    sink.report('KTS_IGNORED_SETTING', instance.loc, `${label} preempt_delay has no effect with nopreempt; it is reset`);
  }
  if (settings['preempt_delay'] !== undefined && instance.initialState === 'MASTER') {
    sink.report('KTS_IGNORED_SETTING', instance.loc, `${label} preempt_delay does not work with initial state MASTER; it is cleared`, 'use `state BACKUP` with preempt_delay');
  }
  if (settings['nopreempt'] !== undefined && instance.initialState === 'MASTER') {
    sink.report('KTS_NOPREEMPT_MASTER', instance.loc, `${label} nopreempt will not work with initial state MASTER; it is cleared`, 'use `state BACKUP` with nopreempt');
  }
  if (settings['promote_secondaries'] !== undefined && instance.useVmac !== undefined) {
    sink.report('KTS_IGNORED_SETTING', instance.loc, `${label} promote_secondaries is set automatically for VMACs; ignored`);
  }
  const written = settings['advert_int'];
  if (typeof written === 'number' && instance.version === 2 && !Number.isInteger(written)) {
    sink.report('KTS_ADVERT_INT_ROUNDED', instance.loc, `${label} VRRPv2 advert_int ${written}s must be whole seconds; rounded to ${instance.advertInterval}s`, 'use `version 3` for sub-second intervals');
  } else if (typeof written === 'number' && instance.version === 3 && Math.abs(written * 100 - Math.round(written * 100)) > 1e-6) {
    sink.report('KTS_ADVERT_INT_ROUNDED', instance.loc, `${label} VRRPv3 advert_int ${written}s must be in 10 ms steps; rounded to ${instance.advertInterval}s`);
  }
  const password = (settings['authentication'] as { auth_pass?: unknown } | undefined)?.auth_pass;
  if (typeof password === 'string' && password.length > 8) {
    sink.report('KTS_VALUE_TRUNCATED', instance.loc, `${label} auth_pass is truncated to 8 characters`);
  }
  const vips = (settings['virtual_ipaddress'] as readonly { address: string; family: string }[] | undefined) ?? [];
  for (const vip of vips) {
    if (vip.family !== instance.family) sink.report('KTS_ADDRESS_FAMILY', instance.loc, `${label} address family of ${vip.address} must match the instance's first VIP; ignored`, 'put the other family in virtual_ipaddress_excluded');
  }
  if (instance.unicastSourceIp !== undefined && !sameFamily(instance.unicastSourceIp, instance.family)) {
    sink.report('KTS_UNICAST_FAMILY', instance.loc, `${label} unicast_src_ip ${instance.unicastSourceIp} is not ${instance.family} like the instance; skipped`);
  }
  if (settings['unicast_ttl'] !== undefined && instance.unicastPeers.length === 0) {
    sink.report('KTS_UNICAST_NO_PEERS', instance.loc, `${label} unicast_ttl given without unicast peers; ignored`);
  }
  const peers = (settings['unicast_peer'] as readonly { address: string; family: string }[] | undefined) ?? [];
  for (const peer of peers) {
    if (peer.family !== instance.family) sink.report('KTS_UNICAST_FAMILY', instance.loc, `${label} unicast peer ${peer.address} is not ${instance.family} like the instance; skipped`);
  }
  const unicastWord = UNICAST_WORDS.find((word) => settings[word] !== undefined);
  if (unicastWord && instance.unicastPeers.length === 0 && settings['unicast_fault_no_peer'] === undefined) {
    sink.report('KTS_UNICAST_NO_PEERS', instance.loc, `${label} ${unicastWord} given but no usable unicast peer; multicast is used`, 'list peers in unicast_peer { }, or add unicast_fault_no_peer');
  }
  if (instance.authentication?.type === 'AH' && instance.initialState === 'MASTER') {
    sink.report('KTS_AUTH_AH_MASTER', instance.loc, `${label} initial state MASTER is incompatible with AH authentication; state cleared`);
  }
  if (instance.strict) {
    // The model already holds what keepalived runs (no authentication, BACKUP): these say why.
    if (settings['authentication'] !== undefined) sink.report('KTS_STRICT_CONFLICT', instance.loc, `${label} strict mode does not support authentication; ignored`, 'remove `authentication` or vrrp_strict');
    if (settings['state'] === 'MASTER' && instance.priority !== 255) {
      sink.report('KTS_STRICT_CONFLICT', instance.loc, `${label} in strict mode state MASTER needs priority 255 (address owner); starting as BACKUP`, 'use `state BACKUP`');
    }
    if (instance.unicastPeers.length > 0) sink.report('KTS_STRICT_UNICAST', instance.loc, `${label} strict mode has no unicast in RFC 5798; keepalived 2.2.7 runs it anyway, and so do we`);
  }
  for (const route of instance.virtualRoutes) {
    if (route.dev === undefined && !route.options.some(([word]) => word === 'no_track')) {
      sink.report('KTS_ROUTE_UNTRACKED', route.loc, `${label} cannot track route ${route.destination}/${route.prefixLength} with no interface; not tracking`, 'add `dev IF` or `no_track`');
    }
  }
}

/** keepalived compiles url regexes with PCRE2, we with JavaScript's RegExp: say where the two part. */
function checkUrlRegexes(checker: Checker, sink: DiagnosticSink): void {
  const urls = checker.settings['url'];
  for (const url of Array.isArray(urls) ? urls : [urls]) {
    if (typeof url !== 'object' || url === null || Array.isArray(url)) continue;
    const settings = url as Settings;
    const words = settings['regex_options'];
    // Most urls have neither (a large config has thousands): nothing to check.
    if (words === undefined && settings['regex'] === undefined) continue;
    const options = regexOptions(Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : typeof words === 'string' ? [words] : []);
    if (options.unsupported.length > 0) {
      sink.report('KTS_REGEX_OPTION_UNSUPPORTED', checker.loc, `regex_options ${options.unsupported.join(' ')} has no JavaScript RegExp equivalent; the regex runs without it`, 'rewrite the regex to need no such option');
    }
    const regex = settings['regex'];
    if (typeof regex !== 'string') continue;
    try {
      new RegExp(regex, options.flags);
    } catch {
      sink.report('KTS_REGEX_NOT_JAVASCRIPT', checker.loc, `regex ${JSON.stringify(regex)} does not compile as a JavaScript RegExp; this checker is disabled`, 'avoid PCRE2-only syntax: possessive quantifiers, atomic groups, inline (?i)');
      continue;
    }
    const escapes = pcreOnlyEscapes(regex);
    if (escapes.length > 0) {
      sink.report('KTS_REGEX_NOT_JAVASCRIPT', checker.loc, `regex ${JSON.stringify(regex)}: ${escapes.join(' ')} ${escapes.length === 1 ? 'is a PCRE2 escape' : 'are PCRE2 escapes'} that JavaScript reads as something else (mostly the plain letter)`, 'use ^ and $ for \\A and \\Z, [ \\t] for \\h');
    }
  }
}

/** keepalived lowers a quorum no set of up servers could reach, then a hysteresis that swallows it. */
function checkQuorum(server: Config['virtualServers'][number], sink: DiagnosticSink): void {
  const totalWeight = server.realServers.reduce((sum, real) => sum + real.weight, 0);
  const quorum = Math.min(server.quorum, totalWeight);
  if (server.quorum > totalWeight) {
    sink.report('KTS_QUORUM_ADJUSTED', server.loc, `quorum ${server.quorum} exceeds the real servers' total weight ${totalWeight}; lowered to ${totalWeight}`);
  }
  if (server.hysteresis >= quorum && (server.hysteresis > 0 || quorum === 0)) {
    sink.report('KTS_QUORUM_ADJUSTED', server.loc, `hysteresis ${server.hysteresis} is not below quorum ${quorum}; set to 0`);
  }
}

function sameFamily(address: string, family: string): boolean {
  return (address.includes(':') ? 'inet6' : 'inet') === family;
}

/**
 * Two instances collide (as keepalived 2.2.7 measures it) when they share interface, family and
 * VRID and would hear each other: both multicast to the same group, or both unicast from the same
 * source with at least one peer in common. A unicast and a multicast instance never collide.
 */
function checkVridCollisions(config: Config, sink: DiagnosticSink): void {
  const seen = new Map<string, VrrpInstance[]>();
  for (const instance of config.vrrpInstances) {
    if (instance.virtualRouterId === undefined || instance.interface === undefined) continue;
    const key = `${instance.interface}/${instance.family}/${instance.virtualRouterId}`;
    const earlier = seen.get(key) ?? [];
    const other = earlier.find((e) => wouldHearEachOther(e, instance, config));
    if (other) {
      sink.report('KTS_VRID_CONFLICT', instance.loc, `${other.name} and ${instance.name} both use VRID ${instance.virtualRouterId} with ${instance.family === 'inet' ? 'IPv4' : 'IPv6'} on interface ${instance.interface}`, 'give one a different virtual_router_id');
    }
    seen.set(key, [...earlier, instance]);
  }
}

function wouldHearEachOther(a: VrrpInstance, b: VrrpInstance, config: Config): boolean {
  const aUnicast = a.unicastPeers.length > 0;
  if (aUnicast !== b.unicastPeers.length > 0) return false;
  if (!aUnicast) return multicastGroup(a, config) === multicastGroup(b, config);
  if ((a.unicastSourceIp ?? '') !== (b.unicastSourceIp ?? '')) return false;
  const peers = new Set(a.unicastPeers.map((p) => p.address));
  return b.unicastPeers.some((p) => peers.has(p.address));
}

function multicastGroup(instance: VrrpInstance, config: Config): string {
  const explicit = instance.settings['mcast_dst_ip'];
  if (typeof explicit === 'string') return explicit;
  return instance.family === 'inet' ? config.global.vrrpMcastGroup4 : config.global.vrrpMcastGroup6;
}
