// Reads ipvsadm-save / `ipvsadm -Sn` output (or a hand-written restore file) into the IPVS table
// it leaves behind: the rules are parsed by src/ipvs/text/rules.ts and applied in order (-A, -E,
// -D, -a, -e, -d, -C), with the line each service and destination came from and the `#` comments
// written above or beside it. `--set` timeouts are kept apart; every line that cannot be applied
// becomes a warning. Pure.
import { describeService, hostPort } from '../ipvs/notation.js';
import { parseRule, type PortResolver, type Rule } from '../ipvs/text/rules.js';
import { canonicalAddress } from '../lvs/address-range.js';
import type { Destination, Service, ServiceKey } from '../ipvs/types.js';
import { warning, type ConversionWarning } from './warnings.js';

export interface TableDestination {
  readonly destination: Destination;
  readonly line: number;
  readonly comments: readonly string[];
}

export interface TableService {
  readonly service: Service;
  readonly line: number;
  readonly comments: readonly string[];
  readonly destinations: TableDestination[];
}

/** `ipvsadm --set TCP TCPFIN UDP` (0 leaves a timeout as it is). */
export interface TimeoutSetting {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
  readonly line: number;
}

export interface IpvsadmTable {
  readonly services: readonly TableService[];
  readonly timeouts: TimeoutSetting | undefined;
  /** Comments that belong to no service or destination left in the table, with their line. */
  readonly looseComments: readonly { readonly line: number; readonly text: string }[];
  readonly warnings: readonly ConversionWarning[];
}

/** What a line that is not a rule probably was, for the warning. */
const NOT_A_RULE: readonly [RegExp, string][] = [
  [/^--(start|stop)-daemon\b/, 'the connection sync daemon is keepalived\'s global_defs lvs_sync_daemon (tied to a vrrp_instance); not converted'],
  [/^(-Z|--zero)\b/, 'zeroing counters is not configuration; ignored'],
  [/^(-L|-l|--list|-S|--save|-R|--restore|-c|--connection)\b/, 'not a rule (listing, save or restore); ignored'],
];

export function readIpvsadmTable(text: string, resolvePort?: PortResolver): IpvsadmTable {
  const services: TableService[] = [];
  const warnings: ConversionWarning[] = [];
  const looseComments: { line: number; text: string }[] = [];
  let pending: { line: number; text: string }[] = [];
  let timeouts: TimeoutSetting | undefined;

  const find = (key: ServiceKey) => services.findIndex((entry) => sameService(entry.service, key));
  const release = () => {
    looseComments.push(...pending);
    pending = [];
  };

  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const hash = raw.indexOf('#');
    const comment = hash >= 0 ? raw.slice(hash + 1).trim() : undefined;
    // A program name in front ("ipvsadm -A ...", from a shell script) is not part of the rule.
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim().replace(/^(?:\S*\/)?ipvsadm\s+/, '');
    if (content === '') {
      // Comments belong to the rule right below them; a blank line makes them the file's.
      if (comment !== undefined) pending.push({ line, text: comment });
      else release();
      return;
    }
    const located = [...pending, ...(comment !== undefined ? [{ line, text: comment }] : [])];
    const comments = located.map((c) => c.text);
    pending = [];
    const loose = () => looseComments.push(...located);
    const drop = (entry: { readonly line: number; readonly comments: readonly string[] }) => looseComments.push(...entry.comments.map((text) => ({ line: entry.line, text })));
    const missing = (option: string, what: string) => {
      warnings.push(warning(line, option, `${what} does not exist at this point; ipvsadm would refuse this line, not converted`));
      loose();
    };

    const set = /^--set\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(content);
    if (set) {
      if (timeouts) warnings.push(warning(timeouts.line, '--set', `replaced by --set at line ${line}`));
      timeouts = { tcp: Number(set[1]), tcpFin: Number(set[2]), udp: Number(set[3]), line };
      loose();
      return;
    }
    const parsed = parseRule(content, resolvePort);
    if (!parsed.ok) {
      const known = NOT_A_RULE.find(([pattern]) => pattern.test(content));
      warnings.push(warning(line, firstWord(content), known ? known[1] : `${parsed.error}; line not converted`));
      loose();
      return;
    }
    const rule = canonicalRule(parsed.rule);
    switch (rule.kind) {
      case 'clear':
        for (const entry of services) drop(entry);
        if (services.length > 0) warnings.push(warning(line, '-C', `clears the ${services.length} service(s) defined above; they are not converted`));
        services.length = 0;
        loose();
        return;
      case 'add-service': {
        const at = find(rule.service);
        if (at >= 0) {
          warnings.push(warning(line, '-A', `${describeService(rule.service)} already exists (line ${services[at]!.line}); ipvsadm would refuse this line, not converted`));
          loose();
        } else services.push({ service: rule.service, line, comments, destinations: [] });
        return;
      }
      case 'edit-service': {
        const at = find(rule.service);
        if (at < 0) return missing('-E', describeService(rule.service));
        const entry = services[at]!;
        services[at] = { ...entry, service: rule.service, comments: [...entry.comments, ...comments] };
        return;
      }
      case 'delete-service': {
        const at = find(rule.service);
        if (at < 0) return missing('-D', describeService(rule.service));
        warnings.push(warning(line, '-D', `removes ${describeService(rule.service)} (line ${services[at]!.line}); it is not converted`));
        drop(services[at]!);
        for (const destination of services[at]!.destinations) drop(destination);
        services.splice(at, 1);
        loose();
        return;
      }
      case 'add-destination':
      case 'edit-destination':
      case 'delete-destination': {
        const at = find(rule.service);
        const option = rule.kind === 'add-destination' ? '-a' : rule.kind === 'edit-destination' ? '-e' : '-d';
        if (at < 0) return missing(option, describeService(rule.service));
        const entry = services[at]!;
        const where = entry.destinations.findIndex((d) => d.destination.address === rule.destination.address && d.destination.port === rule.destination.port);
        const name = `${hostPort(rule.destination.family, rule.destination.address, rule.destination.port)} in ${describeService(rule.service)}`;
        if (rule.kind === 'add-destination') {
          if (where >= 0) {
            warnings.push(warning(line, '-a', `${name} already exists (line ${entry.destinations[where]!.line}); ipvsadm would refuse this line, not converted`));
            loose();
          } else entry.destinations.push({ destination: rule.destination, line, comments });
          return;
        }
        if (where < 0) return missing(option, name);
        const before = entry.destinations[where]!;
        if (rule.kind === 'edit-destination') {
          entry.destinations[where] = { ...before, destination: rule.destination, comments: [...before.comments, ...comments] };
        } else {
          warnings.push(warning(line, '-d', `removes ${name} (line ${before.line}); it is not converted`));
          drop(before);
          entry.destinations.splice(where, 1);
          loose();
        }
        return;
      }
    }
  });
  release();

  return { services, timeouts, looseComments: looseComments.sort((a, b) => a.line - b.line), warnings };
}

/** IPv6 addresses in one spelling ("2001:DB8:0::1" is "2001:db8::1"), so -e/-d/-E/-D find what -a/-A added. */
function canonicalRule(rule: Rule): Rule {
  const canonical = <T extends { readonly address?: string | undefined }>(item: T): T => (item.address === undefined ? item : { ...item, address: canonicalAddress(item.address) });
  switch (rule.kind) {
    case 'clear':
      return rule;
    case 'add-service':
    case 'edit-service':
    case 'delete-service':
      return { ...rule, service: canonical(rule.service) } as Rule;
    default:
      return { ...rule, service: canonical(rule.service), destination: canonical(rule.destination) } as Rule;
  }
}

function sameService(a: ServiceKey, b: ServiceKey): boolean {
  if (a.fwmark !== undefined || b.fwmark !== undefined) return a.fwmark === b.fwmark && a.family === b.family;
  return a.protocol === b.protocol && a.address === b.address && a.port === b.port;
}

function firstWord(content: string): string {
  return content.split(/\s+/)[0] ?? content;
}
