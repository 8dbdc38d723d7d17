// keepalived.conf's checkers (the typed Config model) → the check layer's plain specs: one
// MonitoredServer per real server of each virtual server, with every checker resolved to a
// CheckerSpec and its timing, inheriting settings checker → real_server → virtual_server as
// keepalived does. What cannot become a check is reported with where it was written.
import { readFileSync } from 'node:fs';
import type { Checker, Config, RealServer, ServiceAddress, SettingValue, Settings, VirtualServer } from '../config/model.js';
import type { SourceLocation } from '../config/tree.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, resolveTiming, type TimingSettings } from './defaults.js';
import { decodeQuotedEscapes, splitCommandLine } from '../common/script-command.js';
import { readAccounts, type AccountDatabase, type ScriptIdentity } from '../common/script-user.js';
import { findProgram } from './find-program.js';
import { parseHexBytes, parseHexPattern } from './hex-string.js';
import { parseStatusRanges } from './http-message.js';
import { regexOptions } from '../config/values/regex-options.js';
import { scriptIds, selfIdentity } from './script-identity.js';
import type { MonitoredServer, ScheduledCheck } from './scheduler.js';
import type { CheckerSpec, ConnectionOptions, DnsQueryType, HttpCheckSpec, HttpProtocol, HttpUrlSpec, RealServerTarget, StatusRange } from './types.js';

export interface CheckProblem {
  readonly message: string;
  readonly loc: SourceLocation;
}

export interface ConfigChecks {
  readonly servers: readonly MonitoredServer[];
  readonly problems: readonly CheckProblem[];
}

export interface FromConfigOptions {
  /** Accounts for MISC_CHECK `user`; /etc/passwd and /etc/group by default. */
  readonly accounts?: AccountDatabase;
  /** Reads the SSL block's PEM files. */
  readonly readTextFile?: (path: string) => string;
  /** Finds a MISC_CHECK program (PATH search for a bare name); undefined when there is none. */
  readonly resolveProgram?: (program: string) => string | undefined;
  /** Who we run as (scripts as this identity need no uid/gid change); default: this process. */
  readonly self?: ScriptIdentity;
}

const HTTP_PROTOCOLS: Readonly<Record<string, HttpProtocol>> = { '1.0': '1.0', '1.0C': '1.0C', '1.0c': '1.0C', '1.1': '1.1' };
const DNS_TYPES = new Set<string>(['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA']);

/** "10.0.0.1:80", "[2001:db8::1]:80", "fwmark:5", "group:NAME": how logs and ids name a virtual server. */
export function serviceId(service: ServiceAddress): string {
  if (service.kind === 'fwmark') return `fwmark:${service.fwmark}`;
  if (service.kind === 'group') return `group:${service.group}`;
  return hostPort(service.address, service.port ?? 0);
}

export function realServerId(virtualServer: VirtualServer, realServer: RealServer): string {
  return `${serviceId(virtualServer.service)}/${hostPort(realServer.address, realServer.port ?? 0)}`;
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function checksFromConfig(config: Config, options: FromConfigOptions = {}): ConfigChecks {
  const servers: MonitoredServer[] = [];
  const problems: CheckProblem[] = [];
  let accounts: AccountDatabase | undefined;
  const context: Context = {
    config,
    problems,
    accounts: () => (accounts ??= options.accounts ?? readAccounts()),
    readTextFile: options.readTextFile ?? ((path) => readFileSync(path, 'utf8')),
    resolveProgram: options.resolveProgram ?? ((program) => findProgram(program)),
    self: options.self ?? selfIdentity(),
  };
  for (const virtualServer of config.virtualServers) {
    for (const realServer of virtualServer.realServers) {
      const target: RealServerTarget = {
        id: realServerId(virtualServer, realServer),
        address: realServer.address,
        port: realServer.port ?? 0,
        weight: realServer.weight,
      };
      const checks = realServer.checkers.flatMap((checker) => scheduledChecks(context, virtualServer, realServer, checker));
      servers.push({ target, checks });
    }
  }
  return { servers, problems };
}

interface Context {
  readonly config: Config;
  readonly problems: CheckProblem[];
  /** Read on first use: a config without MISC_CHECK users never opens /etc/passwd. */
  readonly accounts: () => AccountDatabase;
  readonly readTextFile: (path: string) => string;
  readonly resolveProgram: (program: string) => string | undefined;
  readonly self: ScriptIdentity;
}

const seconds = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.round(value * 1000));

function numberSetting(settings: Settings, key: string): number | undefined {
  const value = settings[key];
  return typeof value === 'number' ? value : undefined;
}

function stringSetting(settings: Settings, key: string): string | undefined {
  const value = settings[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value.join(' ');
  return undefined;
}

function wordsSetting(settings: Settings, key: string): string[] {
  const value = settings[key];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A flag keyword: present without a value, or a boolean. */
function flagSetting(settings: Settings, key: string): boolean | undefined {
  if (!(key in settings)) return undefined;
  const value = settings[key];
  return value === null || value === true;
}

function blocks(value: SettingValue | undefined): Settings[] {
  if (value === undefined || value === null || typeof value !== 'object') return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Settings => typeof v === 'object' && v !== null && !Array.isArray(v));
}

function timingLevels(virtualServer: VirtualServer, realServer: RealServer, checker: Checker): TimingSettings[] {
  const level = (settings: Settings, typed: Partial<Record<'delayLoop' | 'retry' | 'delayBeforeRetry' | 'warmup', number>>): TimingSettings => {
    const alpha = flagSetting(settings, 'alpha');
    const delayLoopMs = seconds(typed.delayLoop ?? numberSetting(settings, 'delay_loop'));
    const retry = typed.retry ?? numberSetting(settings, 'retry');
    const delayBeforeRetryMs = seconds(typed.delayBeforeRetry ?? numberSetting(settings, 'delay_before_retry'));
    const warmupMs = seconds(typed.warmup ?? numberSetting(settings, 'warmup'));
    return {
      ...(delayLoopMs !== undefined ? { delayLoopMs } : {}),
      ...(retry !== undefined ? { retry } : {}),
      ...(delayBeforeRetryMs !== undefined ? { delayBeforeRetryMs } : {}),
      ...(warmupMs !== undefined ? { warmupMs } : {}),
      ...(alpha !== undefined ? { alpha } : {}),
    };
  };
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return [
    level(checker.settings, defined({ delayLoop: checker.delayLoop, retry: checker.retry, delayBeforeRetry: checker.delayBeforeRetry, warmup: checker.warmup })),
    level(realServer.settings, {}),
    level(virtualServer.settings, defined({ delayLoop: virtualServer.delayLoop, retry: virtualServer.retry, delayBeforeRetry: virtualServer.delayBeforeRetry })),
  ];
}

function connection(settings: Settings, checker: Checker, realServer: RealServer, virtualServer: VirtualServer): ConnectionOptions {
  const connectTimeoutMs =
    seconds(checker.connectTimeout ?? numberSetting(realServer.settings, 'connect_timeout') ?? virtualServer.connectTimeout) ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const connectIp = stringSetting(settings, 'connect_ip') ?? checker.connectIp;
  const connectPort = numberSetting(settings, 'connect_port') ?? checker.connectPort;
  const bindTo = stringSetting(settings, 'bindto') ?? checker.bindTo;
  const bindPort = numberSetting(settings, 'bind_port');
  const bindInterface = stringSetting(settings, 'bind_if');
  const fwmark = numberSetting(settings, 'fwmark');
  return {
    connectTimeoutMs,
    ...(connectIp !== undefined ? { connectIp } : {}),
    ...(connectPort !== undefined ? { connectPort } : {}),
    ...(bindTo !== undefined ? { bindTo } : {}),
    ...(bindPort !== undefined ? { bindPort } : {}),
    ...(bindInterface !== undefined ? { bindInterface } : {}),
    ...(fwmark !== undefined ? { fwmark } : {}),
  };
}

function scheduledChecks(context: Context, virtualServer: VirtualServer, realServer: RealServer, checker: Checker): ScheduledCheck[] {
  const resolved = resolveTiming(checker.kind === 'BFD_CHECK' ? 'TCP_CHECK' : checker.kind, ...timingLevels(virtualServer, realServer, checker));
  const specs = checkerSpecs(context, virtualServer, realServer, checker, resolved.delayLoopMs);
  return specs.map((spec) => {
    // keepalived recovers a multi-url HTTP check one url per delay_loop unless fast_recovery is set.
    const urls = spec.kind === 'HTTP_GET' || spec.kind === 'SSL_GET' ? spec.urls.length : 1;
    const timing = urls > 1 && !flagSetting(checker.settings, 'fast_recovery') ? { ...resolved, recoverAfter: urls } : resolved;
    return { spec, timing };
  });
}

function checkerSpecs(context: Context, virtualServer: VirtualServer, realServer: RealServer, checker: Checker, delayLoopMs: number): CheckerSpec[] {
  const { settings } = checker;
  const problem = (message: string): CheckerSpec[] => {
    context.problems.push({ message, loc: checker.loc });
    return [];
  };
  const base = connection(settings, checker, realServer, virtualServer);
  switch (checker.kind) {
    case 'HTTP_GET':
    case 'SSL_GET':
      return httpSpec(context, virtualServer, realServer, checker, base, problem);
    case 'TCP_CHECK':
      return [{ kind: 'TCP_CHECK', ...base }];
    case 'PING_CHECK':
      return [{ kind: 'PING_CHECK', ...base }];
    case 'SMTP_CHECK': {
      const heloName = stringSetting(settings, 'helo_name');
      const hosts = blocks(settings['host']);
      const endpoints = hosts.length === 0 ? [base] : hosts.map((host) => ({ ...base, ...connection(host, checker, realServer, virtualServer) }));
      return endpoints.map((endpoint) => ({ kind: 'SMTP_CHECK', ...endpoint, ...(heloName !== undefined ? { heloName } : {}) }));
    }
    case 'DNS_CHECK': {
      const type = stringSetting(settings, 'type')?.toUpperCase();
      if (type !== undefined && !DNS_TYPES.has(type)) return problem(`DNS_CHECK type ${type} is not one of ${[...DNS_TYPES].join(' ')}`);
      const name = stringSetting(settings, 'name');
      return [{ kind: 'DNS_CHECK', ...base, ...(type !== undefined ? { type: type as DnsQueryType } : {}), ...(name !== undefined ? { name } : {}) }];
    }
    case 'UDP_CHECK': {
      const payloadText = stringSetting(settings, 'payload');
      const payload = payloadText === undefined ? undefined : parseHexBytes(payloadText);
      if (payload === null) return problem(`UDP_CHECK payload ${JSON.stringify(payloadText)} is not a hex string`);
      let requireReply: { pattern?: (number | null)[] } | undefined;
      if ('require_reply' in settings) {
        const patternText = stringSetting(settings, 'require_reply');
        const pattern = patternText === undefined ? undefined : parseHexPattern(patternText);
        if (pattern === null) return problem(`UDP_CHECK require_reply ${JSON.stringify(patternText)} is not a hex string`);
        requireReply = pattern === undefined ? {} : { pattern };
      }
      const min = numberSetting(settings, 'min_reply_length');
      const max = numberSetting(settings, 'max_reply_length');
      return [
        {
          kind: 'UDP_CHECK',
          ...base,
          ...(payload !== undefined ? { payload } : {}),
          ...(requireReply !== undefined ? { requireReply } : {}),
          ...(min !== undefined ? { minReplyLength: min } : {}),
          ...(max !== undefined ? { maxReplyLength: max } : {}),
        },
      ];
    }
    case 'MISC_CHECK': {
      if (!checker.miscPath) return problem('MISC_CHECK without misc_path');
      const split = splitCommandLine(decodeQuotedEscapes(checker.miscPath.command));
      if (!split.ok) return problem(`MISC_CHECK misc_path: ${split.message}`);
      const [program, ...args] = split.argv;
      // keepalived disables a MISC_CHECK whose program it cannot find: the server is then not checked by it.
      const file = context.resolveProgram(program!);
      if (file === undefined) return problem(`MISC_CHECK script ${program} not found or not executable: checker disabled, as keepalived does`);
      const user = settings['user'];
      const [name, group] = Array.isArray(user) ? (user as string[]).join(' ').replace(/:/g, ' ').split(/\s+/).filter(Boolean) : [];
      // Without `user`, keepalived's default: script_user, else keepalived_script, else root.
      const found = scriptIds(context.accounts(), context.config.global, { user: name, group }, context.self);
      if (!found.ok) return problem(`MISC_CHECK user: ${found.message}; checker removed, as keepalived does`);
      const ids = { ...(found.uid !== undefined ? { uid: found.uid } : {}), ...(found.gid !== undefined ? { gid: found.gid } : {}) };
      return [
        {
          kind: 'MISC_CHECK',
          argv: [file, ...args],
          timeoutMs: seconds(checker.miscTimeout) ?? delayLoopMs,
          dynamic: checker.miscDynamic,
          ...ids,
        },
      ];
    }
    case 'FILE_CHECK': {
      const name = stringSetting(settings, 'track_file');
      const trackFile = context.config.trackFiles.find((t) => t.name === name);
      if (!trackFile?.file) return problem(`FILE_CHECK track_file ${name ?? '(none)'} is not a track_file with a file`);
      const weightWords = settings['weight'];
      let weight = trackFile.weight;
      let reverse = trackFile.weightReverse;
      if (Array.isArray(weightWords) && weightWords.length > 0) {
        weight = Number(weightWords[0]);
        reverse = weightWords[1] === 'reverse';
      } else if (typeof weightWords === 'number') {
        weight = weightWords;
      }
      return [{ kind: 'FILE_CHECK', path: trackFile.file, weight, reverse, dynamic: flagSetting(settings, 'dynamic') ?? false }];
    }
    case 'BFD_CHECK':
      // Said once per config (the config check says it too): BFD is parsed, not implemented.
      if (context.problems.some((p) => p.message.startsWith('BFD_CHECK'))) return [];
      return problem('BFD_CHECK is parsed but not implemented (keepalived-ts has no BFD): the real server is not checked by it');
  }
}

function httpSpec(
  context: Context,
  virtualServer: VirtualServer,
  realServer: RealServer,
  checker: Checker,
  base: ConnectionOptions,
  problem: (message: string) => CheckerSpec[],
): CheckerSpec[] {
  const { settings } = checker;
  const urlSettings = blocks(settings['url']);
  const urls: HttpUrlSpec[] = [];
  for (const [index, url] of checker.urls.entries()) {
    const extra = urlSettings[index] ?? {};
    let statusCodes: StatusRange[] | undefined;
    if (url.statusCodes.length > 0) {
      const parsed = parseStatusRanges(url.statusCodes);
      if (parsed === null) return problem(`status_code ${url.statusCodes.join(' ')} is not a list of codes and ranges`);
      statusCodes = parsed;
    }
    const regex = stringSetting(extra, 'regex');
    const options = regexOptions(wordsSetting(extra, 'regex_options'));
    if (options.unsupported.length > 0) {
      context.problems.push({ message: `regex_options ${options.unsupported.join(' ')}: no JavaScript RegExp equivalent; the regex runs without ${options.unsupported.length === 1 ? 'it' : 'them'}`, loc: checker.loc });
    }
    if (options.unknown.length > 0) context.problems.push({ message: `regex_options ${options.unknown.join(' ')}: not a PCRE2 option keepalived knows; ignored`, loc: checker.loc });
    if (regex !== undefined && !isValidRegex(regex, options.flags)) {
      return problem(`regex ${JSON.stringify(regex)} is not a valid JavaScript regular expression (keepalived uses PCRE2; PCRE2-only syntax such as possessive quantifiers, atomic groups or inline (?i) does not compile here)`);
    }
    const minOffset = numberSetting(extra, 'regex_min_offset');
    const maxOffset = numberSetting(extra, 'regex_max_offset');
    urls.push({
      path: url.path ?? '/',
      ...(url.digest !== undefined ? { digest: url.digest.toLowerCase() } : {}),
      ...(statusCodes !== undefined ? { statusCodes } : {}),
      ...(url.virtualhost !== undefined ? { virtualhost: url.virtualhost } : {}),
      ...(regex !== undefined ? { regex, regexNoMatch: flagSetting(extra, 'regex_no_match') ?? false } : {}),
      ...(regex !== undefined && options.flags !== '' ? { regexFlags: options.flags } : {}),
      ...(regex !== undefined && minOffset !== undefined ? { regexMinOffset: minOffset } : {}),
      ...(regex !== undefined && maxOffset !== undefined ? { regexMaxOffset: maxOffset } : {}),
    });
  }
  if (urls.length === 0) return problem(`${checker.kind} without a url block checks nothing`);
  const protocolText = stringSetting(settings, 'http_protocol');
  const httpProtocol = protocolText === undefined ? undefined : HTTP_PROTOCOLS[protocolText];
  if (protocolText !== undefined && httpProtocol === undefined) return problem(`http_protocol ${protocolText} is not 1.0, 1.0C or 1.1`);
  const virtualhost = stringSetting(settings, 'virtualhost') ?? stringSetting(realServer.settings, 'virtualhost') ?? virtualServer.virtualhost;
  const sniName = stringSetting(settings, 'sni_name');
  const spec: HttpCheckSpec = {
    kind: checker.kind === 'SSL_GET' ? 'SSL_GET' : 'HTTP_GET',
    ...base,
    urls,
    ...(httpProtocol !== undefined ? { httpProtocol } : {}),
    ...(virtualhost !== undefined ? { virtualhost } : {}),
    ...(flagSetting(settings, 'enable_sni') ? { enableSni: true } : {}),
    ...(sniName !== undefined ? { sniName } : {}),
  };
  if (checker.kind !== 'SSL_GET') return [spec];
  const tls = tlsMaterial(context, checker.loc);
  return tls === undefined ? [spec] : [{ ...spec, tls }];
}

/** keepalived uses PCRE2; JavaScript's RegExp reads the common subset the same way (config/values/regex-options.ts). */
function isValidRegex(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

/** The global SSL block's PEM files for an SSL_GET; an unreadable file is a problem. */
function tlsMaterial(context: Context, loc: SourceLocation): HttpCheckSpec['tls'] {
  const ssl = blocks(context.config.otherSettings['SSL'])[0];
  if (!ssl) return undefined;
  const material: { ca?: string; certificate?: string; key?: string; password?: string } = {};
  for (const key of ['ca', 'certificate', 'key'] as const) {
    const path = stringSetting(ssl, key);
    if (path === undefined) continue;
    try {
      material[key] = context.readTextFile(path);
    } catch (error) {
      context.problems.push({ message: `SSL ${key} ${path}: ${(error as Error).message}`, loc });
    }
  }
  const password = stringSetting(ssl, 'password');
  if (password !== undefined) material.password = password;
  return material;
}
