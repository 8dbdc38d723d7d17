// Parses ipvsadm command lines (the -R/ipvsadm-save format: "-A -t 10.0.0.1:80 -s rr",
// "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 3") into typed rules. Never throws: a bad line is a
// RuleError naming what is wrong with it. Option spellings follow ipvsadm(8).
import { isIPv4, isIPv6 } from 'node:net';
import { ipv4ToBytes } from '../../sys/sockaddr.js';
import { prefixFromIpv4Mask } from '../netmask.js';
import {
  DEFAULT_PERSISTENCE_SECONDS, defaultNetmask,
  type AddressFamily, type Destination, type DestinationKey, type ForwardingMethod, type IpvsProtocol, type Service,
  type ServiceKey, type TunnelType,
} from '../types.js';

export type Rule =
  | { readonly kind: 'add-service' | 'edit-service'; readonly service: Service }
  | { readonly kind: 'delete-service'; readonly service: ServiceKey }
  | { readonly kind: 'clear' }
  | { readonly kind: 'add-destination' | 'edit-destination'; readonly service: ServiceKey; readonly destination: Destination }
  | { readonly kind: 'delete-destination'; readonly service: ServiceKey; readonly destination: DestinationKey & { readonly family: AddressFamily } };

export type RuleResult = { readonly ok: true; readonly rule: Rule } | { readonly ok: false; readonly error: string };

/** Resolves a port name (e.g. 'http') for a protocol, or returns null. */
export type PortResolver = (name: string, protocol: string) => number | null;

const COMMANDS: Record<string, Rule['kind']> = {
  '-A': 'add-service', '--add-service': 'add-service',
  '-E': 'edit-service', '--edit-service': 'edit-service',
  '-D': 'delete-service', '--delete-service': 'delete-service',
  '-C': 'clear', '--clear': 'clear',
  '-a': 'add-destination', '--add-server': 'add-destination',
  '-e': 'edit-destination', '--edit-server': 'edit-destination',
  '-d': 'delete-destination', '--delete-server': 'delete-destination',
};

/** Options that take a value, by every spelling, mapped to one name. */
const VALUED: Record<string, string> = {
  '-t': 'tcp', '--tcp-service': 'tcp', '-u': 'udp', '--udp-service': 'udp', '--sctp-service': 'sctp',
  '-f': 'fwmark', '--fwmark-service': 'fwmark', '-s': 'scheduler', '--scheduler': 'scheduler',
  '-M': 'netmask', '--netmask': 'netmask', '-b': 'sched-flags', '--sched-flags': 'sched-flags', '--pe': 'pe',
  '-r': 'real-server', '--real-server': 'real-server', '-w': 'weight', '--weight': 'weight',
  '-x': 'u-threshold', '--u-threshold': 'u-threshold', '-y': 'l-threshold', '--l-threshold': 'l-threshold',
  '--tun-type': 'tun-type', '--tun-port': 'tun-port',
};

const SWITCHES: Record<string, string> = {
  '-o': 'ops', '--ops': 'ops', '-6': 'ipv6', '--ipv6': 'ipv6',
  '-g': 'gatewaying', '--gatewaying': 'gatewaying', '-i': 'ipip', '--ipip': 'ipip',
  '-m': 'masquerading', '--masquerading': 'masquerading',
  '--tun-nocsum': 'tun-nocsum', '--tun-csum': 'tun-csum', '--tun-remcsum': 'tun-remcsum',
};

const SCHEDULER_FLAGS: Record<string, 1 | 2 | 3> = {
  'flag-1': 1, 'flag-2': 2, 'flag-3': 3, 'sh-fallback': 1, 'sh-port': 2, 'mh-fallback': 1, 'mh-port': 2,
};

const TUNNEL_TYPES: readonly TunnelType[] = ['ipip', 'gue', 'gre'];

class LineError extends Error {}

const fail = (message: string): never => {
  throw new LineError(message);
};

function integer(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) return fail(`${what} '${text}' is not a number`);
  const value = Number(text);
  if (value < min || value > max) return fail(`${what} ${value} is out of range ${min}-${max}`);
  return value;
}

/** Splits "host:port", "[v6]:port", "host" into parts (port text may be a name or absent). */
function splitHostPort(text: string): { host: string; port: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? null };
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return { host: text, port: null };
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

function address(text: string, what: string): { family: AddressFamily; address: string } {
  if (isIPv4(text)) return { family: 'inet', address: text };
  if (isIPv6(text)) return { family: 'inet6', address: text.toLowerCase() };
  return fail(`${what} '${text}' is not an IP address (host names are not resolved)`);
}

function port(text: string, protocol: string, resolve: PortResolver, what: string): number {
  if (/^\d+$/.test(text)) return integer(text, `${what} port`, 0, 65535);
  const resolved = resolve(text, protocol);
  return resolved ?? fail(`${what} port '${text}' is neither a number nor a known ${protocol} service name`);
}

function netmask(text: string, family: AddressFamily): number {
  if (family === 'inet6') return integer(text, 'IPv6 netmask (prefix length)', 1, 128);
  if (/^\d+$/.test(text)) return integer(text, 'netmask prefix length', 0, 32);
  if (!isIPv4(text)) return fail(`netmask '${text}' is not a dotted IPv4 mask`);
  const prefix = prefixFromIpv4Mask(ipv4ToBytes(text).readUInt32BE(0));
  return prefix ?? fail(`netmask '${text}' is not contiguous`);
}

/** Reads the words of one line into options; '-p' takes a value only when a number follows. */
function readOptions(words: readonly string[]): { command: Rule['kind']; options: Map<string, string> } {
  let command: Rule['kind'] | undefined;
  const options = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = equals > 0 ? word.slice(0, equals) : word;
    const inline = equals > 0 ? word.slice(equals + 1) : undefined;
    if (COMMANDS[name]) {
      if (command) fail(`two commands on one line ('${command}' and '${name}')`);
      command = COMMANDS[name];
    } else if (name === '-p' || name === '--persistent') {
      const next = words[i + 1];
      options.set('persistent', inline ?? (next !== undefined && /^\d+$/.test(next) ? (i++, next) : String(DEFAULT_PERSISTENCE_SECONDS)));
    } else if (VALUED[name]) {
      const value = inline ?? words[++i];
      if (value === undefined) fail(`option ${name} needs a value`);
      if (options.has(VALUED[name]!)) fail(`option ${name} given twice`);
      options.set(VALUED[name]!, value!);
    } else if (SWITCHES[name]) {
      options.set(SWITCHES[name]!, '');
    } else {
      fail(`unknown option '${word}'`);
    }
  }
  if (!command) return fail('no command (-A, -E, -D, -C, -a, -e or -d)');
  return { command, options };
}

function serviceKeyFrom(options: Map<string, string>, resolve: PortResolver): ServiceKey {
  const given = (['tcp', 'udp', 'sctp', 'fwmark'] as const).filter((kind) => options.has(kind));
  if (given.length === 0) return fail('no virtual service (-t, -u, --sctp-service or -f)');
  if (given.length > 1) return fail('more than one virtual service on one line');
  const kind = given[0]!;
  const text = options.get(kind)!;
  if (kind === 'fwmark') {
    // ipvsadm -S prints marks of 2^31 and above as negative numbers: read those back too.
    const fwmark = text.startsWith('-') ? (-integer(text.slice(1), 'negative firewall mark', 1, 0x80000000)) >>> 0 : integer(text, 'firewall mark', 1, 0xffffffff);
    return { family: options.has('ipv6') ? 'inet6' : 'inet', fwmark };
  }
  const { host, port: portText } = splitHostPort(text);
  const parsed = address(host, 'virtual address');
  // As in ipvsadm, a service without a port is port 0 (valid only for a persistent service).
  return { ...parsed, protocol: kind as IpvsProtocol, port: portText === null ? 0 : port(portText, kind, resolve, 'virtual service') };
}

const SERVICE_ONLY = ['scheduler', 'persistent', 'netmask', 'sched-flags', 'pe', 'ops'];
const DESTINATION_ONLY = ['real-server', 'gatewaying', 'ipip', 'masquerading', 'weight', 'u-threshold', 'l-threshold', 'tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];

function refuse(options: Map<string, string>, names: readonly string[], command: string): void {
  const wrong = names.find((name) => options.has(name));
  if (wrong) fail(`option --${wrong} does not apply to ${command}`);
}

function serviceFrom(key: ServiceKey, options: Map<string, string>): Service {
  const persistent = options.get('persistent');
  const scheduler = options.get('scheduler') ?? 'wlc';
  const flags = (options.get('sched-flags') ?? '').split(',').filter(Boolean).map((name) => {
    const flag = SCHEDULER_FLAGS[name] ?? fail(`unknown scheduler flag '${name}'`);
    const owner = /^(sh|mh)-/.exec(name)?.[1];
    if (owner && owner !== scheduler) fail(`scheduler flag '${name}' applies only to the ${owner} scheduler`);
    return flag;
  });
  const onePacket = options.has('ops');
  if (onePacket && key.protocol !== 'udp') fail('one-packet scheduling (-o) is only for UDP virtual services');
  if (key.port === 0 && persistent === undefined) fail('port 0 (any port) is only for a persistent service (-p)');
  const service: Service = {
    ...key,
    scheduler,
    persistence: persistent === undefined ? null : integer(persistent, 'persistence timeout', 1, 0x7fffffff),
    netmask: options.has('netmask') ? netmask(options.get('netmask')!, key.family) : defaultNetmask(key.family),
    persistenceEngine: options.get('pe') ?? null,
    onePacket,
    schedulerFlags: [...new Set(flags)].sort(),
  };
  if (!/^[a-z0-9_]{1,15}$/.test(service.scheduler)) fail(`scheduler name '${service.scheduler}' is not valid`);
  return service;
}

function destinationFrom(key: ServiceKey, options: Map<string, string>, resolve: PortResolver, full: boolean): Destination {
  const text = options.get('real-server') ?? fail('no real server (-r)');
  const { host, port: portText } = splitHostPort(text);
  const parsed = address(host, 'real server');
  const protocol = key.protocol ?? 'tcp';
  const destinationPort = portText !== null ? port(portText, protocol, resolve, 'real server') : key.port ?? 0;
  const methods = (['gatewaying', 'ipip', 'masquerading'] as const).filter((name) => options.has(name));
  if (methods.length > 1) fail('more than one forwarding method (-g, -i, -m)');
  const forwarding: ForwardingMethod = methods[0] === 'ipip' ? 'tunnel' : methods[0] === 'masquerading' ? 'masq' : 'route';
  const tunnelTypeText = options.get('tun-type') ?? 'ipip';
  const tunnelType = TUNNEL_TYPES.find((type) => type === tunnelTypeText) ?? fail(`unknown tunnel type '${tunnelTypeText}' (ipip, gue or gre)`);
  if (forwarding !== 'tunnel' && (options.has('tun-type') || options.has('tun-port'))) fail('tunnel options need tunnel forwarding (-i)');
  const tunnelPort = options.has('tun-port') ? integer(options.get('tun-port')!, 'tunnel port', 1, 65535) : 0;
  if (tunnelType === 'gue' && tunnelPort === 0) fail('a GUE tunnel needs --tun-port');
  if (tunnelType !== 'gue' && options.has('tun-port')) fail('--tun-port applies only to GUE tunnels');
  const checksums = (['tun-nocsum', 'tun-csum', 'tun-remcsum'] as const).filter((name) => options.has(name));
  if (checksums.length > 1) fail('more than one tunnel checksum option');
  if (checksums.length > 0 && tunnelType === 'ipip') fail('tunnel checksum options apply only to GUE and GRE tunnels');
  if (checksums[0] === 'tun-remcsum' && tunnelType !== 'gue') fail('--tun-remcsum applies only to GUE tunnels');
  const upperThreshold = options.has('u-threshold') ? integer(options.get('u-threshold')!, 'upper threshold', 0, 0x7fffffff) : 0;
  const lowerThreshold = options.has('l-threshold') ? integer(options.get('l-threshold')!, 'lower threshold', 0, 0x7fffffff) : 0;
  if (upperThreshold > 0 && lowerThreshold > upperThreshold) fail(`lower threshold ${lowerThreshold} is above upper threshold ${upperThreshold}`);
  if (full && parsed.family !== key.family && forwarding !== 'tunnel') {
    fail('a real server of another address family needs tunnel forwarding (-i)');
  }
  return {
    ...parsed,
    port: destinationPort,
    forwarding,
    weight: options.has('weight') ? integer(options.get('weight')!, 'weight', 0, 0x7fffffff) : 1,
    upperThreshold,
    lowerThreshold,
    tunnelType,
    tunnelPort,
    tunnelFlags: checksums[0] === 'tun-csum' ? 1 : checksums[0] === 'tun-remcsum' ? 2 : 0,
  };
}

/** One ipvsadm command line (without the program name) as a rule. */
export function parseRule(line: string, resolvePort: PortResolver = () => null): RuleResult {
  try {
    const { command, options } = readOptions(line.trim().split(/\s+/).filter(Boolean));
    if (command === 'clear') {
      if (options.size > 0) fail('-C takes no options');
      return { ok: true, rule: { kind: 'clear' } };
    }
    const service = serviceKeyFrom(options, resolvePort);
    if (options.has('ipv6') && service.fwmark === undefined) fail('-6 applies only to firewall-mark services (-f)');
    switch (command) {
      case 'add-service':
      case 'edit-service':
        refuse(options, DESTINATION_ONLY, command);
        return { ok: true, rule: { kind: command, service: serviceFrom(service, options) } };
      case 'delete-service':
        refuse(options, [...SERVICE_ONLY, ...DESTINATION_ONLY], command);
        return { ok: true, rule: { kind: command, service } };
      case 'add-destination':
      case 'edit-destination':
        refuse(options, SERVICE_ONLY, command);
        return { ok: true, rule: { kind: command, service, destination: destinationFrom(service, options, resolvePort, true) } };
      case 'delete-destination': {
        refuse(options, [...SERVICE_ONLY, ...DESTINATION_ONLY.filter((name) => name !== 'real-server')], command);
        const { family, address: destinationAddress, port: destinationPort } = destinationFrom(service, options, resolvePort, false);
        return { ok: true, rule: { kind: command, service, destination: { family, address: destinationAddress, port: destinationPort } } };
      }
    }
  } catch (error) {
    if (error instanceof LineError) return { ok: false, error: error.message };
    throw error;
  }
}

export interface ParsedRules {
  readonly rules: readonly { readonly line: number; readonly rule: Rule }[];
  /** Every bad line, with its 1-based line number. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

/** A whole restore file: blank lines and '#' comments are skipped; every error is collected. */
export function parseRules(text: string, resolvePort?: PortResolver): ParsedRules {
  const rules: { line: number; rule: Rule }[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const content = raw.replace(/#.*/, '').trim();
    if (!content) return;
    const result = parseRule(content, resolvePort);
    if (result.ok) rules.push({ line: index + 1, rule: result.rule });
    else errors.push({ line: index + 1, message: result.error });
  });
  return { rules, errors };
}
