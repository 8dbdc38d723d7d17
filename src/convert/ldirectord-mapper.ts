// Maps the ldirectord model onto keepalived.conf: one virtual_server per virtual service, one
// real_server (with its checker) per real server, global_defs for email alerts and scripts.
// Pure. Every option is looked up through `lookup`, which records that it was used; whatever
// was never used is reported at the end, so no line of the source is dropped silently.
import { block, statement, type KeepalivedDocument, type OutputStatement } from './keepalived-document.js';
import type { Forwarding, LdirectordConfig, Located, OptionName, OptionValues, RealServer, Settings, VirtualService } from './ldirectord-model.js';
import { isIPv4 } from './ldirectord-options.js';
import { byLine, warning, type ConversionWarning } from './warnings.js';

/** ldirectord's defaults, written out explicitly because keepalived's differ. */
export const LDIRECTORD_DEFAULTS = {
  checkInterval: 10,
  /** For connect, ping and external checks. */
  checkTimeout: 5,
  negotiateTimeout: 30,
  failureCount: 1,
  scheduler: 'wrr',
  /** ldirectord requires a method on every real= line; the parser warns when one is missing. */
  forwarding: 'gate' as Forwarding,
  // ldirectord's manual says yes, but its code has defaulted to no for years: behaviour wins.
  quiescent: false,
} as const;

const LVS_METHOD: Readonly<Record<Forwarding, string>> = { gate: 'DR', masq: 'NAT', ipip: 'TUN' };

export type CheckerName = 'HTTP_GET' | 'SSL_GET' | 'TCP_CHECK' | 'PING_CHECK' | 'MISC_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK';

export interface ConversionSummary {
  readonly virtualServers: number;
  readonly realServers: number;
  readonly sorryServers: number;
  readonly checkers: Readonly<Partial<Record<CheckerName, number>>>;
  /** Real servers written without a checker (checktype=on/off, or no way to check them). */
  readonly unchecked: number;
  readonly warnings: number;
}

export interface MapResult {
  readonly document: KeepalivedDocument;
  readonly warnings: readonly ConversionWarning[];
  readonly summary: ConversionSummary;
}

/** Why an option that nothing used has no keepalived equivalent. */
const NO_EQUIVALENT: Partial<Record<OptionName, string>> = {
  autoreload: 'keepalived does not watch its file; reload with SIGHUP (systemctl reload)',
  callback: 'keepalived runs no command when its configuration changes',
  logfile: 'keepalived logs to syslog or the journal (see -l, -D and --log-facility)',
  execute: 'keepalived has no per-configuration sub-instances; merge the files or run one keepalived-ts per file',
  supervised: 'run keepalived-ts in the foreground under systemd instead (conf.examples/keepalived-ts.service)',
  fork: 'keepalived always runs checks in its own checker process',
  maintenancedir: 'keepalived has no maintenance directory (set weight 0 and reload, or use a FILE_CHECK)',
  readdquiescent: 'keepalived always keeps inhibited servers in the table with weight 0',
  emailalertfreq: 'keepalived sends one email per state change and never repeats it',
  emailalertstatus: 'keepalived emails on every checker state change; it cannot filter by state',
  monitorfile: 'keepalived logs checker results to syslog; it has no monitor file',
  checkcount: 'deprecated in ldirectord in favour of failurecount; not converted',
  smtp: 'keepalived has one smtp_server, in global_defs; a per-service SMTP server is not converted',
  login: 'keepalived checkers do not log in to services; the credentials are not carried over',
  passwd: 'keepalived checkers do not log in to services; the credentials are not carried over',
  database: 'keepalived checkers do not query databases; not carried over',
  secret: 'keepalived has no RADIUS checker; not carried over',
};

type Lookup = <K extends OptionName>(name: K) => Located<OptionValues[K]> | undefined;

interface MapState {
  readonly warnings: ConversionWarning[];
  readonly used: Set<object>;
  readonly checkers: Partial<Record<CheckerName, number>>;
  readonly emailRecipients: Set<string>;
  usesScripts: boolean;
  realServers: number;
  sorryServers: number;
  unchecked: number;
}

export function mapLdirectordToKeepalived(config: LdirectordConfig, sourceName = 'ldirectord.cf'): MapResult {
  const state: MapState = {
    warnings: [], used: new Set(), checkers: {}, emailRecipients: new Set(), usesScripts: false,
    realServers: 0, sorryServers: 0, unchecked: 0,
  };
  const virtualServers: OutputStatement[] = [];
  for (const virtual of config.virtuals) {
    if (virtual.reals.length === 0) {
      state.warnings.push(warning(virtual.line, 'virtual', 'has no real= servers; not converted (keepalived ignores a virtual_server without real servers)'));
      continue;
    }
    virtualServers.push(mapVirtual(virtual, lookupFor(config.settings, virtual.settings, state.used), state));
  }
  const globalDefs = mapGlobals(config.settings, state);
  reportUnused(config.settings, state);
  for (const virtual of config.virtuals) reportUnused(virtual.settings, state);
  if (virtualServers.length === 0) state.warnings.push(warning(0, 'virtual', 'the file has no virtual service that could be converted'));

  const header = [
    `keepalived.conf converted from ${sourceName} by keepalived-ts convert ldirectord.`,
    'Options without an exact keepalived equivalent were reported as warnings when converting.',
    ...(config.comments.length > 0 ? ['', 'Comments from the ldirectord.cf global section:', ...config.comments] : []),
  ];
  const warnings = [...state.warnings].sort(byLine);
  return {
    document: { header, statements: [...(globalDefs ? [globalDefs] : []), ...virtualServers] },
    warnings,
    summary: {
      virtualServers: virtualServers.length,
      realServers: state.realServers,
      sorryServers: state.sorryServers,
      checkers: state.checkers,
      unchecked: state.unchecked,
      warnings: warnings.length,
    },
  };
}

function lookupFor(global: Settings, local: Settings, used: Set<object>): Lookup {
  return (name) => {
    const found = (local[name] ?? global[name]) as Located<OptionValues[typeof name]> | undefined;
    if (found !== undefined) used.add(found);
    return found;
  };
}

function mapGlobals(settings: Settings, state: MapState): OutputStatement | undefined {
  const body: OutputStatement[] = [];
  const lookup = lookupFor(settings, {}, state.used);
  if (state.emailRecipients.size > 0) {
    body.push(block('notification_email', [], [...state.emailRecipients].map((address) => statement(address)), ['from emailalert=: who is told when a real server changes state']));
    const from = lookup('emailalertfrom');
    if (from) body.push(statement('notification_email_from', safeText(from.value, from.line, 'emailalertfrom', state.warnings)));
  }
  // ldirectord's smtp= is a bare host (no port); keepalived's smtp_server must be an address.
  const smtp = lookup('smtp');
  if (smtp && isIPv4(smtp.value)) body.push(statement('smtp_server', smtp.value));
  else if (smtp) state.warnings.push(warning(smtp.line, 'smtp', `'${smtp.value}' is not an IP address; keepalived's smtp_server needs one, not converted`));
  if (state.usesScripts) {
    body.push({ keyword: 'enable_script_security', args: [], comments: ['ldirectord ran its check and fallback commands as root; keepalived needs to be told to'] });
    body.push(statement('script_user', 'root'));
  }
  return body.length > 0 ? block('global_defs', [], body) : undefined;
}

function mapVirtual(virtual: VirtualService, lookup: Lookup, state: MapState): OutputStatement {
  const { warnings } = state;
  const label = virtual.target.kind === 'fwmark' ? `fwmark ${virtual.target.mark}` : `${virtual.target.address} port ${virtual.target.port}`;
  const body: OutputStatement[] = [];
  const vsPort = virtual.target.kind === 'address' ? virtual.target.port : undefined;

  if (virtual.target.kind === 'fwmark' && virtual.family === 'inet6') body.push(statement('ip_family', 'inet6'));

  const intervalOption = lookup('checkinterval');
  const interval = intervalOption?.value ?? LDIRECTORD_DEFAULTS.checkInterval;
  if (intervalOption !== undefined && virtual.settings.checkinterval === intervalOption) {
    warnings.push(warning(intervalOption.line, 'checkinterval', 'ldirectord ignores a per-service checkinterval unless fork=yes; keepalived honours it as this service\'s delay_loop'));
  }
  body.push(statement('delay_loop', interval));
  body.push(statement('lb_algo', lookup('scheduler')?.value ?? LDIRECTORD_DEFAULTS.scheduler));

  const methods = virtual.reals.map((real) => real.forwarding ?? LDIRECTORD_DEFAULTS.forwarding);
  const vsMethod = mostCommon(methods) ?? LDIRECTORD_DEFAULTS.forwarding;
  body.push(statement('lb_kind', LVS_METHOD[vsMethod]));

  const protocol = lookup('protocol');
  const ipvsProtocol = protocolFor(virtual, protocol, warnings);
  if (ipvsProtocol !== undefined) body.push(statement('protocol', ipvsProtocol));

  const persistent = lookup('persistent');
  if (persistent) body.push(statement('persistence_timeout', persistent.value));
  const netmask = lookup('netmask');
  if (netmask && persistent) body.push(statement('persistence_granularity', netmask.value));
  else if (netmask) warnings.push(warning(netmask.line, 'netmask', 'only matters with persistent=; not converted'));

  const ops = lookup('ops');
  if (ops?.value) {
    if (ipvsProtocol === 'UDP') body.push({ keyword: 'ops', args: [], comments: [`ops=yes (line ${ops.line}): one-packet scheduling`] });
    else warnings.push(warning(ops.line, 'ops', 'one-packet scheduling only applies to UDP services; not converted'));
  }

  const quiescent = lookup('quiescent');
  if (quiescent?.value ?? LDIRECTORD_DEFAULTS.quiescent) {
    body.push({ keyword: 'inhibit_on_failure', args: [], comments: [`quiescent=yes (line ${quiescent?.line}): failed servers stay with weight 0 instead of being removed`] });
  }

  const cleanstop = lookup('cleanstop');
  if (cleanstop && !cleanstop.value) warnings.push(warning(cleanstop.line, 'cleanstop', 'keepalived always removes its virtual services when it stops'));

  const fallback = lookup(virtual.family === 'inet6' ? 'fallback6' : 'fallback') ?? lookup(virtual.family === 'inet6' ? 'fallback' : 'fallback6');
  if (fallback) {
    if (fallback.value.family !== virtual.family) {
      warnings.push(warning(fallback.line, 'fallback', `address family does not match the virtual service at line ${virtual.line}; no sorry_server written`));
    } else {
      const port = fallback.value.port ?? vsPort;
      body.push({ keyword: 'sorry_server', args: [fallback.value.address, ...(port !== undefined ? [port] : [])], comments: [`fallback= (line ${fallback.line}): used while every real server is down`] });
      if (fallback.value.forwarding !== undefined && fallback.value.forwarding !== vsMethod) body.push(statement('sorry_server_lvs_method', LVS_METHOD[fallback.value.forwarding]));
      state.sorryServers++;
    }
  }

  const fallbackCommand = lookup('fallbackcommand');
  if (fallbackCommand) {
    // keepalived's quorum (default 1) is lost exactly when every real server is down, which is
    // when ldirectord ran the fallback command with "start".
    const command = safeText(fallbackCommand.value, fallbackCommand.line, 'fallbackcommand', warnings);
    body.push({ keyword: 'quorum_down', args: [`${command} start`], comments: [`fallbackcommand= (line ${fallbackCommand.line}): run when all real servers are down, and when one is back`] });
    body.push(statement('quorum_up', `${command} stop`));
    state.usesScripts = true;
    warnings.push(warning(fallbackCommand.line, 'fallbackcommand', 'converted to quorum_down "CMD start" / quorum_up "CMD stop"; keepalived also runs quorum_up once at startup'));
  }

  const email = lookup('emailalert');
  if (email) {
    for (const address of email.value.split(/[\s,]+/).filter(Boolean)) {
      // Each address is written as a bare word inside notification_email { }.
      if (/^[^"{}#!]+@[^"{}#!]+$/.test(address)) state.emailRecipients.add(address);
      else warnings.push(warning(email.line, 'emailalert', `'${address}' is not an email address keepalived.conf can hold; not converted`));
    }
    body.push(statement('smtp_alert'));
  }

  const plan = planChecker(virtual, lookup, ipvsProtocol, interval, state);
  for (const real of virtual.reals) body.push(mapReal(real, virtual, vsMethod, vsPort, plan, state));

  const args = virtual.target.kind === 'fwmark' ? ['fwmark', virtual.target.mark] : [virtual.target.address, virtual.target.port];
  const keyword = virtual.family === 'inet6' ? 'virtual6' : 'virtual';
  return block('virtual_server', args, body, [`from ${keyword}= at line ${virtual.line} (${label})`, ...virtual.comments]);
}

function protocolFor(virtual: VirtualService, protocol: Located<OptionValues['protocol']> | undefined, warnings: ConversionWarning[]): string | undefined {
  if (virtual.target.kind === 'fwmark') {
    if (protocol && protocol.value !== 'fwm') warnings.push(warning(protocol.line, 'protocol', `'${protocol.value}' does not apply to a fwmark service (the mark selects the packets); ignored`));
    return undefined;
  }
  if (protocol?.value === 'fwm') {
    warnings.push(warning(protocol.line, 'protocol', `fwm needs virtual=<fwmark number>, but line ${virtual.line} names an address and port; converted as TCP`));
    return 'TCP';
  }
  // Like ldirectord, a DNS port defaults to UDP.
  return (protocol?.value ?? (virtual.target.port === 53 ? 'udp' : 'tcp')).toUpperCase();
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | undefined;
  for (const [value, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = value;
  return best;
}

/** How every real server of one virtual service is checked; decided once so warnings appear once. */
type CheckPlan =
  | { readonly kind: 'none'; readonly note: string }
  | { readonly kind: 'http'; readonly checker: 'HTTP_GET' | 'SSL_GET'; readonly path: string; readonly receive?: string; readonly virtualhost?: string; readonly common: CommonCheck }
  | { readonly kind: 'simple'; readonly checker: 'TCP_CHECK' | 'PING_CHECK' | 'SMTP_CHECK'; readonly common: CommonCheck }
  | { readonly kind: 'dns'; readonly name?: string; readonly common: CommonCheck }
  | { readonly kind: 'misc'; readonly command: string; readonly passArguments: boolean; readonly timeout: number; readonly common: CommonCheck };

interface CommonCheck {
  readonly checkPort?: number;
  readonly connectTimeout: number;
  readonly retry: number;
  readonly delayBeforeRetry: number;
}

/** The port ldirectord assumes a service listens on when `service=` is not given. */
const SERVICE_BY_PORT: Readonly<Record<number, string>> = {
  21: 'ftp', 25: 'smtp', 53: 'dns', 80: 'http', 110: 'pop', 119: 'nntp', 143: 'imap', 389: 'ldap', 443: 'https',
  587: 'submission', 993: 'imaps', 995: 'pops', 1521: 'oracle', 1812: 'radius', 3128: 'http_proxy', 3306: 'mysql',
  5060: 'sip', 5432: 'pgsql',
};

function planChecker(virtual: VirtualService, lookup: Lookup, ipvsProtocol: string | undefined, interval: number, state: MapState): CheckPlan {
  const { warnings } = state;
  const checkType = lookup('checktype');
  const checkPort = lookup('checkport');
  const vsPort = virtual.target.kind === 'address' ? virtual.target.port : undefined;
  const explicitService = lookup('service');
  // ldirectord guesses the service from the virtual port only; fwmark services default to none.
  const service = explicitService?.value ?? (vsPort !== undefined ? SERVICE_BY_PORT[vsPort] : undefined) ?? 'none';
  const kind = checkType?.value.kind ?? 'negotiate';
  const failureCount = lookup('failurecount')?.value ?? LDIRECTORD_DEFAULTS.failureCount;
  // checktimeout bounds connect, ping and external checks, negotiatetimeout negotiate checks,
  // each falling back on the other; connecttimeout is the old name ldirectord now rejects.
  const connectTimeout = lookup('connecttimeout');
  if (connectTimeout) warnings.push(warning(connectTimeout.line, 'connecttimeout', 'deprecated (current ldirectord rejects it in favour of negotiatetimeout); used as a timeout fallback'));
  const negotiating = kind === 'negotiate' || kind === 'negotiate-every';
  const timeout = negotiating
    ? lookup('negotiatetimeout')?.value ?? connectTimeout?.value ?? LDIRECTORD_DEFAULTS.negotiateTimeout
    : lookup('checktimeout')?.value ?? connectTimeout?.value ?? lookup('negotiatetimeout')?.value ?? LDIRECTORD_DEFAULTS.checkTimeout;
  const common: CommonCheck = {
    ...(checkPort && { checkPort: checkPort.value }),
    connectTimeout: timeout,
    // ldirectord removes a server after `failurecount` failed checks in a row, one per interval;
    // keepalived retries `retry` times, `delay_before_retry` apart, before it fails the server.
    retry: failureCount - 1,
    delayBeforeRetry: interval,
  };
  const at = checkType?.line ?? virtual.line;
  const connectCheck = (): CheckPlan => {
    if (ipvsProtocol === 'SCTP') warnings.push(warning(at, 'checktype', 'keepalived has no SCTP connect check; a TCP_CHECK is written, which only passes if the server also accepts TCP on that port'));
    // ldirectord's connect check for UDP services is a ping.
    return { kind: 'simple', checker: ipvsProtocol === 'UDP' ? 'PING_CHECK' : 'TCP_CHECK', common };
  };

  switch (kind) {
    case 'on':
      return { kind: 'none', note: 'checktype=on: never checked, always in service' };
    case 'off':
      // A checker that always fails keeps the servers out of service, as ldirectord does.
      warnings.push(warning(at, 'checktype', 'off: ldirectord never activates these servers; converted to a MISC_CHECK running /bin/false, which keeps them down'));
      state.usesScripts = true;
      return { kind: 'misc', command: '/bin/false', passArguments: false, timeout: 1, common };
    case 'ping':
      return { kind: 'simple', checker: 'PING_CHECK', common };
    case 'checktimeout':
      warnings.push(warning(at, 'checktype', 'checktimeout is not a check of its own; converted to a connect check'));
      return connectCheck();
    case 'connect':
      return connectCheck();
    case 'external':
    case 'external-perl': {
      const command = lookup('checkcommand');
      // ldirectord's default command is /bin/true, which always passes: no checker is the same.
      if (!command) return { kind: 'none', note: `checktype=${kind} without checkcommand= runs /bin/true: always in service` };
      if (kind === 'external-perl') warnings.push(warning(at, 'checktype', 'external-perl: the command is run as a program by MISC_CHECK, not loaded into a Perl interpreter'));
      state.usesScripts = true;
      return { kind: 'misc', command: command.value, passArguments: true, timeout: Math.max(1, Math.ceil(timeout)), common };
    }
    case 'negotiate':
    case 'negotiate-every':
      if (kind === 'negotiate-every') warnings.push(warning(at, 'checktype', 'a number N (negotiate every Nth check) has no equivalent; keepalived negotiates on every check'));
      return negotiatePlan(service, explicitService?.line ?? at, lookup, connectCheck, common, warnings);
  }
}

function negotiatePlan(service: string, at: number, lookup: Lookup, connectCheck: () => CheckPlan, common: CommonCheck, warnings: ConversionWarning[]): CheckPlan {
  switch (service) {
    case 'http':
    case 'https':
    case 'http_proxy': {
      const request = lookup('request');
      const receive = lookup('receive');
      const virtualhost = lookup('virtualhost');
      const method = lookup('httpmethod');
      if (method?.value === 'HEAD') warnings.push(warning(method.line, 'httpmethod', 'keepalived always sends GET; HEAD is not available'));
      if (service === 'http_proxy') warnings.push(warning(at, 'service', 'http_proxy: keepalived sends the request line as written in request=, without proxy handling'));
      if (receive) warnings.push(warning(receive.line, 'receive', "ldirectord matches the body against a Perl regular expression; converted to url { regex } (PCRE2, keepalived must be built with REGEX) plus status_code 200-299, as ldirectord also required a 2xx status"));
      return {
        kind: 'http',
        checker: service === 'https' ? 'SSL_GET' : 'HTTP_GET',
        path: urlPath(request?.value ?? '/', service),
        ...(receive && { receive: receive.value }),
        ...(virtualhost && { virtualhost: virtualhost.value }),
        common,
      };
    }
    case 'smtp':
    case 'submission':
      return { kind: 'simple', checker: 'SMTP_CHECK', common };
    case 'dns': {
      const request = lookup('request');
      const receive = lookup('receive');
      if (receive) warnings.push(warning(receive.line, 'receive', 'keepalived DNS_CHECK only requires an answer to the query; the expected answer is not compared'));
      return { kind: 'dns', ...(request && { name: request.value }), common };
    }
    case 'none':
      return { kind: 'none', note: 'service=none: not monitored, always in service' };
    default:
      warnings.push(warning(at, 'service', `keepalived has no ${service} checker; converted to a connect check on the same port`));
      return connectCheck();
  }
}

/** ldirectord requests `request=` relative to the server root; keepalived needs an absolute path. */
function urlPath(request: string, service: string): string {
  if (request.startsWith('/') || (service === 'http_proxy' && /^https?:\/\//.test(request))) return request;
  const absolute = /^https?:\/\/[^/]+(\/.*)?$/.exec(request);
  if (absolute) return absolute[1] ?? '/';
  return `/${request}`;
}

function mapReal(real: RealServer, virtual: VirtualService, vsMethod: Forwarding, vsPort: number | undefined, plan: CheckPlan, state: MapState): OutputStatement {
  const { warnings } = state;
  state.realServers++;
  const method = real.forwarding ?? LDIRECTORD_DEFAULTS.forwarding;
  // Only NAT can map to another port: ldirectord gives DR and TUN servers the service's port.
  const port = method === 'masq' ? real.port ?? vsPort : vsPort ?? real.port;
  const body: OutputStatement[] = [];
  body.push(statement('weight', real.weight ?? 1));
  if (method !== vsMethod) body.push(statement('lvs_method', LVS_METHOD[method]));
  if (method !== 'masq' && real.port !== undefined && vsPort !== undefined && real.port !== vsPort) {
    warnings.push(warning(real.line, 'real', `${method} forwarding cannot change the port; port ${real.port} replaced by the service's port ${vsPort}, as ldirectord does`));
  }
  const checker = checkerFor(plan, real, virtual, port, state);
  if (checker) body.push(checker);
  else state.unchecked++;
  const comments = [...real.comments, ...(plan.kind === 'none' ? [plan.note] : [])];
  return block('real_server', [real.address, ...(port !== undefined ? [port] : [])], body, comments);
}

/** Connection settings every checker but MISC_CHECK takes; PING_CHECK has no port to set. */
function commonStatements(common: CommonCheck, realPort: number | undefined, withPort: boolean): OutputStatement[] {
  return [
    ...(withPort && common.checkPort !== undefined && common.checkPort !== realPort ? [statement('connect_port', common.checkPort)] : []),
    statement('connect_timeout', common.connectTimeout),
    statement('retry', common.retry),
    statement('delay_before_retry', common.delayBeforeRetry),
  ];
}

function checkerFor(plan: CheckPlan, real: RealServer, virtual: VirtualService, port: number | undefined, state: MapState): OutputStatement | undefined {
  if (plan.kind === 'none') return undefined;
  const count = (name: CheckerName): void => {
    state.checkers[name] = (state.checkers[name] ?? 0) + 1;
  };
  if (plan.kind === 'misc') {
    count('MISC_CHECK');
    // ldirectord passes the virtual and real address and port to the command.
    const virtualArgs = virtual.target.kind === 'fwmark' ? [String(virtual.target.mark), '0'] : [virtual.target.address, String(virtual.target.port)];
    const misc = plan.passArguments ? [plan.command, ...virtualArgs, real.address, String(port ?? plan.common.checkPort ?? 0)].join(' ') : plan.command;
    return block('MISC_CHECK', [], [
      statement('misc_path', safeText(misc, real.line, 'checkcommand', state.warnings)),
      statement('misc_timeout', plan.timeout),
      statement('retry', plan.common.retry),
      statement('delay_before_retry', plan.common.delayBeforeRetry),
    ]);
  }
  const checkPort = plan.common.checkPort ?? port;
  const needsPort = plan.kind !== 'simple' || plan.checker !== 'PING_CHECK';
  if (needsPort && checkPort === undefined) {
    state.warnings.push(warning(real.line, 'checkport', 'a fwmark service needs checkport= (or a port on real=) to be checked; this real server is written without a checker'));
    return undefined;
  }
  const common = commonStatements(plan.common, port, needsPort);
  if (plan.kind === 'simple') {
    count(plan.checker);
    return block(plan.checker, [], common);
  }
  if (plan.kind === 'dns') {
    count('DNS_CHECK');
    return block('DNS_CHECK', [], [...common, statement('type', 'A'), ...(plan.name !== undefined ? [statement('name', safeText(plan.name, real.line, 'request', state.warnings))] : [])]);
  }
  count(plan.checker);
  const path = real.request !== undefined ? urlPath(real.request, 'http') : plan.path;
  const receive = real.receive ?? plan.receive;
  const url = block('url', [], [
    statement('path', safeText(path, real.line, 'request', state.warnings)),
    statement('status_code', '200-299'),
    ...(receive !== undefined && receive !== '' ? [statement('regex', receive.replaceAll('"', '\\x22'))] : []),
  ]);
  return block(plan.checker, [], [url, ...(plan.virtualhost !== undefined ? [statement('virtualhost', safeText(plan.virtualhost, real.line, 'virtualhost', state.warnings))] : []), ...common]);
}

/** keepalived strings cannot hold a double quote; drop them, and say so. */
function safeText(text: string, line: number, option: string, warnings: ConversionWarning[]): string {
  if (!text.includes('"')) return text;
  warnings.push(warning(line, option, 'contains a double quote, which keepalived.conf cannot express; removed'));
  return text.replaceAll('"', '');
}

function reportUnused(settings: Settings, state: MapState): void {
  for (const [name, located] of Object.entries(settings) as [OptionName, Located<unknown>][]) {
    if (state.used.has(located)) continue;
    state.warnings.push(warning(located.line, name, NO_EQUIVALENT[name] ?? "has no effect with this virtual service's check type; not converted"));
  }
}
