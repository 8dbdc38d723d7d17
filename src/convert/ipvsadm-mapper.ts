// Maps the IPVS table an ipvsadm rules file leaves behind (ipvsadm-table.ts) onto keepalived.conf:
// one virtual_server per service, one real_server per destination, optionally with a default
// checker, and `--set` timeouts as global_defs lvs_timeouts. Pure. keepalived.conf(5) names the
// keywords: lvs_sched, the scheduler flag keywords, ops, lvs_method with its tunnel options,
// persistence_timeout / _granularity / _engine, ip_family, weight, uthreshold, lthreshold.
import { dottedIpv4Mask } from '../ipvs/netmask.js';
import { describeService, hostPort } from '../ipvs/notation.js';
import { defaultNetmask, type Destination, type Service } from '../ipvs/types.js';
import { SCHEDULERS } from '../config/schema/virtual-server.js';
import { block, statement, type KeepalivedDocument, type OutputStatement } from './keepalived-document.js';
import type { CheckerName, ConversionSummary } from './ldirectord-mapper.js';
import type { IpvsadmTable, TableDestination, TableService, TimeoutSetting } from './ipvsadm-table.js';
import { byLine, warning, type ConversionWarning } from './warnings.js';

export type DefaultChecker = 'tcp' | 'http' | 'none';

export interface IpvsadmConversionOptions {
  /** The checker written into every real_server that has a port to check (default none). */
  readonly checker?: DefaultChecker;
  /** Named in the header comment. */
  readonly sourceName?: string;
}

export interface IpvsadmMapResult {
  readonly document: KeepalivedDocument;
  readonly warnings: readonly ConversionWarning[];
  readonly summary: ConversionSummary;
}

/** keepalived.conf's largest persistence_timeout (31 days); ipvsadm takes up to 2^31-1. */
export const MAX_PERSISTENCE_TIMEOUT = 2678400;

/** What keepalived uses without lvs_sched (and what ipvsadm uses without -s). */
const DEFAULT_SCHEDULER = 'wlc';

/** sh and mh name their flags; every other scheduler uses flag-1..3. */
const NAMED_FLAGS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  sh: { 1: 'sh-fallback', 2: 'sh-port' },
  mh: { 1: 'mh-fallback', 2: 'mh-port' },
};

const CHECKER_NAME: Readonly<Record<Exclude<DefaultChecker, 'none'>, CheckerName>> = { tcp: 'TCP_CHECK', http: 'HTTP_GET' };

interface MapState {
  readonly warnings: ConversionWarning[];
  readonly checker: DefaultChecker;
  readonly checkers: Partial<Record<CheckerName, number>>;
  realServers: number;
  unchecked: number;
}

export function mapIpvsadmToKeepalived(table: IpvsadmTable, options: IpvsadmConversionOptions = {}): IpvsadmMapResult {
  const state: MapState = { warnings: [...table.warnings], checker: options.checker ?? 'none', checkers: {}, realServers: 0, unchecked: 0 };
  const virtualServers: OutputStatement[] = [];
  const looseComments = [...table.looseComments];
  for (const entry of table.services) {
    if (entry.destinations.length === 0) {
      looseComments.push(...entry.comments.map((text) => ({ line: entry.line, text })));
      state.warnings.push(warning(entry.line, '-A', `${describeService(entry.service)} has no real servers; not converted (keepalived ignores a virtual_server without real servers)`));
      continue;
    }
    virtualServers.push(mapService(entry, state));
  }
  if (virtualServers.length === 0) state.warnings.push(warning(0, '-A', 'the input leaves no virtual service with real servers to convert'));
  const globalDefs = table.timeouts === undefined ? undefined : mapTimeouts(table.timeouts, state);

  const source = options.sourceName ?? 'ipvsadm rules';
  const header = [
    `keepalived.conf converted from ${source} by keepalived-ts convert ipvsadm.`,
    'Rules without an exact keepalived equivalent were reported as warnings when converting.',
    ...(looseComments.length > 0
      ? ['', `Comments from ${source} that belong to no converted service:`, ...looseComments.sort((a, b) => a.line - b.line).map((c) => `line ${c.line}: ${c.text}`)]
      : []),
  ];
  const warnings = state.warnings.sort(byLine);
  return {
    document: { header, statements: [...(globalDefs ? [globalDefs] : []), ...virtualServers] },
    warnings,
    summary: {
      virtualServers: virtualServers.length,
      realServers: state.realServers,
      sorryServers: 0,
      checkers: state.checkers,
      unchecked: state.unchecked,
      warnings: warnings.length,
    },
  };
}

function mapTimeouts(timeouts: TimeoutSetting, state: MapState): OutputStatement | undefined {
  const given = ([['tcp', timeouts.tcp], ['tcpfin', timeouts.tcpFin], ['udp', timeouts.udp]] as const).filter(([, seconds]) => seconds > 0);
  if (given.length === 0) {
    state.warnings.push(warning(timeouts.line, '--set', 'every timeout is 0 (leave unchanged); nothing to convert'));
    return undefined;
  }
  const setting = { keyword: 'lvs_timeouts', args: given.flat(), comments: [`--set (line ${timeouts.line}); a 0 there leaves that timeout as it is, so it is left out`] };
  return block('global_defs', [], [setting]);
}

function mapService({ service, line, comments, destinations }: TableService, state: MapState): OutputStatement {
  const { warnings } = state;
  const body: OutputStatement[] = [];
  const label = describeService(service);

  // A firewall mark has no address to tell its family: without ip_family keepalived guesses it
  // from the real servers, which tunnelled real servers of the other family would mislead.
  if (service.fwmark !== undefined) body.push(statement('ip_family', service.family));
  else body.push(statement('protocol', service.protocol.toUpperCase()));

  const known = (SCHEDULERS as readonly string[]).includes(service.scheduler);
  if (!known) warnings.push(warning(line, '-s', `keepalived 2.2.7 does not know the scheduler '${service.scheduler}' (${label}); written as ${DEFAULT_SCHEDULER}, keepalived's default`));
  body.push(statement('lvs_sched', known ? service.scheduler : DEFAULT_SCHEDULER));
  for (const flag of service.schedulerFlags) body.push(statement(NAMED_FLAGS[service.scheduler]?.[flag] ?? `flag-${flag}`));
  if (service.onePacket) body.push(statement('ops'));

  if (service.persistence !== null) {
    if (service.persistence > MAX_PERSISTENCE_TIMEOUT) {
      warnings.push(warning(line, '-p', `persistence timeout ${service.persistence} is above keepalived's largest, ${MAX_PERSISTENCE_TIMEOUT}; written as ${MAX_PERSISTENCE_TIMEOUT}`));
    }
    body.push(statement('persistence_timeout', Math.min(service.persistence, MAX_PERSISTENCE_TIMEOUT)));
    if (service.netmask !== defaultNetmask(service.family)) {
      body.push(statement('persistence_granularity', service.family === 'inet' ? dottedIpv4Mask(service.netmask) : service.netmask));
    }
  } else if (service.netmask !== defaultNetmask(service.family)) {
    warnings.push(warning(line, '-M', `a persistence netmask only matters with -p (${label}); not converted`));
  }
  if (service.persistenceEngine !== null) body.push(statement('persistence_engine', service.persistenceEngine));

  const methods = destinations.map((d) => methodWords(d.destination));
  const serviceMethod = mostCommon(methods.map((words) => words.join(' ')));
  body.push(statement('lvs_method', ...serviceMethod.split(' ')));

  for (const destination of destinations) body.push(mapDestination(service, destination, serviceMethod, state));
  const address = service.fwmark !== undefined ? ['fwmark', service.fwmark] : service.port === 0 ? [service.address] : [service.address, service.port];
  return block('virtual_server', address, body, comments);
}

function mapDestination(service: Service, { destination, line, comments }: TableDestination, serviceMethod: string, state: MapState): OutputStatement {
  state.realServers++;
  const body: OutputStatement[] = [statement('weight', destination.weight)];
  const method = methodWords(destination);
  if (method.join(' ') !== serviceMethod) body.push(statement('lvs_method', ...method));
  if (destination.upperThreshold > 0) body.push(statement('uthreshold', destination.upperThreshold));
  if (destination.lowerThreshold > 0) body.push(statement('lthreshold', destination.lowerThreshold));
  const checker = checkerFor(service, destination, line, state);
  if (checker) body.push(checker);
  const address = destination.port === 0 ? [destination.address] : [destination.address, destination.port];
  return block('real_server', address, body, comments);
}

/** `NAT`, `DR`, `TUN`, `TUN type gue port 6080 csum`, `TUN type gre`. */
function methodWords(destination: Destination): string[] {
  if (destination.forwarding === 'masq') return ['NAT'];
  if (destination.forwarding !== 'tunnel') return ['DR'];
  if (destination.tunnelType === 'ipip') return ['TUN'];
  const words = ['TUN', 'type', destination.tunnelType];
  if (destination.tunnelType === 'gue') words.push('port', String(destination.tunnelPort));
  if (destination.tunnelFlags === 1) words.push('csum');
  else if (destination.tunnelFlags === 2) words.push('remcsum');
  return words;
}

function checkerFor(service: Service, destination: Destination, line: number, state: MapState): OutputStatement | undefined {
  if (state.checker === 'none') {
    state.unchecked++;
    return undefined;
  }
  const where = `${hostPort(destination.family, destination.address, destination.port)} in ${describeService(service)}`;
  const reason = destination.port === 0
    ? 'has no port (a firewall-mark or any-port service); keepalived cannot tell which port to check'
    : service.protocol !== undefined && service.protocol !== 'tcp' ? `is ${service.protocol.toUpperCase()}; a TCP connect or HTTP check would not test it` : undefined;
  if (reason !== undefined) {
    state.warnings.push(warning(line, '--checker', `${where} ${reason}; written without a checker`));
    state.unchecked++;
    return undefined;
  }
  const name = CHECKER_NAME[state.checker];
  state.checkers[name] = (state.checkers[name] ?? 0) + 1;
  const connectPort = statement('connect_port', destination.port);
  if (state.checker === 'tcp') return block('TCP_CHECK', [], [connectPort]);
  return block('HTTP_GET', [], [block('url', [], [statement('path', '/'), statement('status_code', 200)]), connectPort]);
}

/** The most frequent value; the first one seen wins a tie. */
function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0] ?? 'NAT';
  for (const [value, count] of counts) if (count > (counts.get(best) ?? 0)) best = value;
  return best;
}
