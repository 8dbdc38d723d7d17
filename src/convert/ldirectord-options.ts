// The ldirectord.cf option table: which options exist, where they may appear (the global section,
// a virtual service, or both) and how each value is read. Values are checked here so the mapper
// only ever sees well-formed data; a bad value becomes a reason string, never an exception.
import type { CheckType, FallbackServer, Family, Forwarding, OptionName, OptionValues } from './ldirectord-model.js';

export type Scope = 'global' | 'virtual' | 'both';
export type ValueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

interface OptionSpec<T> {
  readonly scope: Scope;
  readonly read: (raw: string) => ValueResult<T>;
}

const ok = <T>(value: T): ValueResult<T> => ({ ok: true, value });
const bad = <T>(reason: string): ValueResult<T> => ({ ok: false, reason });

function nonNegativeNumber(raw: string): ValueResult<number> {
  return /^\d+(\.\d+)?$/.test(raw) ? ok(Number(raw)) : bad(`'${raw}' is not a non-negative number`);
}

function positiveInteger(raw: string): ValueResult<number> {
  return /^[1-9]\d*$/.test(raw) ? ok(Number(raw)) : bad(`'${raw}' is not a positive integer`);
}

function port(raw: string): ValueResult<number> {
  const number = Number(raw);
  return /^\d+$/.test(raw) && number >= 1 && number <= 65535 ? ok(number) : bad(`'${raw}' is not a port number (1-65535)`);
}

function yesNo(raw: string): ValueResult<boolean> {
  const lower = raw.toLowerCase();
  if (lower === 'yes' || lower === 'on' || lower === 'true' || lower === '1') return ok(true);
  if (lower === 'no' || lower === 'off' || lower === 'false' || lower === '0') return ok(false);
  return bad(`'${raw}' is not yes or no`);
}

const text = (raw: string): ValueResult<string> => (raw === '' ? bad('empty value') : ok(raw));

function oneOf<T extends string>(choices: readonly T[]) {
  return (raw: string): ValueResult<T> => {
    const lower = raw.toLowerCase();
    const found = choices.find((choice) => choice.toLowerCase() === lower);
    return found !== undefined ? ok(found) : bad(`'${raw}' is not one of ${choices.join(', ')}`);
  };
}

const CHECK_KINDS = ['connect', 'negotiate', 'external', 'external-perl', 'ping', 'off', 'on', 'checktimeout'] as const;

function checkType(raw: string): ValueResult<CheckType> {
  if (/^[1-9]\d*$/.test(raw)) return ok({ kind: 'negotiate-every', every: Number(raw) });
  const kind = oneOf(CHECK_KINDS)(raw);
  return kind.ok ? ok({ kind: kind.value }) : bad(`'${raw}' is not a checktype (${CHECK_KINDS.join(', ')} or a number)`);
}

export const FORWARDING_METHODS: readonly Forwarding[] = ['gate', 'masq', 'ipip'];

/** The services ldirectord can negotiate with (`service=`). */
export const SERVICES = [
  'dns', 'ftp', 'http', 'https', 'http_proxy', 'imap', 'imaps', 'ldap', 'mysql', 'nntp', 'none', 'oracle',
  'pgsql', 'pop', 'pops', 'radius', 'rtsp', 'simpletcp', 'sip', 'smtp', 'submission',
] as const;

/** IPVS schedulers, as `scheduler=` accepts them. */
export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;

/**
 * `ADDRESS[:PORT]` for IPv4 or a hostname, `[ADDRESS][:PORT]` for IPv6. The port may be a number or
 * a well-known service name. Returns the parts or a reason.
 */
export function hostPort(raw: string): ValueResult<{ address: string; family: Family; port?: number }> {
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\S+))?$/.exec(raw);
  const v4 = /^([^:\s[\]]+)(?::(\S+))?$/.exec(raw);
  const match = v6 ?? v4;
  if (!match) return bad(`'${raw}' is not ADDRESS[:PORT] (IPv6 as [ADDRESS]:PORT)`);
  const address = match[1] as string;
  const family: Family = v6 ? 'inet6' : 'inet';
  if (family === 'inet' && !isIPv4(address)) return bad(`'${address}' is not an IPv4 address (host names cannot be written in keepalived.conf)`);
  if (match[2] === undefined) return ok({ address, family });
  const number = servicePort(match[2]);
  return number === undefined ? bad(`'${match[2]}' is not a port number or known service name`) : ok({ address, family, port: number });
}

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** Port numbers of the service names ldirectord users commonly write instead of numbers. */
export const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = {
  ftp: 21, smtp: 25, domain: 53, dns: 53, http: 80, www: 80, pop3: 110, pop: 110, nntp: 119, imap: 143, imap2: 143,
  ldap: 389, https: 443, submission: 587, imaps: 993, pop3s: 995, pops: 995, oracle: 1521, radius: 1812,
  mysql: 3306, sip: 5060, pgsql: 5432, postgresql: 5432, rtsp: 554,
};

function servicePort(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    return number >= 1 && number <= 65535 ? number : undefined;
  }
  return WELL_KNOWN_PORTS[text.toLowerCase()];
}

function fallback(raw: string): ValueResult<FallbackServer> {
  const [where, method, ...rest] = raw.split(/\s+/);
  if (where === undefined || where === '') return bad('empty value');
  if (rest.length > 0) return bad(`unexpected '${rest.join(' ')}' after the forwarding method`);
  const parsed = hostPort(where);
  if (!parsed.ok) return parsed;
  if (method === undefined) return ok(parsed.value);
  const forwarding = oneOf(FORWARDING_METHODS)(method);
  return forwarding.ok ? ok({ ...parsed.value, forwarding: forwarding.value }) : bad(`forwarding method ${forwarding.reason}`);
}

function netmask(raw: string): ValueResult<string> {
  return isIPv4(raw) || /^\d{1,3}$/.test(raw) ? ok(raw) : bad(`'${raw}' is not a netmask (dotted quad or prefix length)`);
}

export const OPTION_SPECS: { readonly [K in OptionName]: OptionSpec<OptionValues[K]> } = {
  checktimeout: { scope: 'both', read: nonNegativeNumber },
  connecttimeout: { scope: 'both', read: nonNegativeNumber },
  negotiatetimeout: { scope: 'both', read: nonNegativeNumber },
  checkinterval: { scope: 'both', read: nonNegativeNumber },
  failurecount: { scope: 'both', read: positiveInteger },
  checkcount: { scope: 'both', read: positiveInteger },
  quiescent: { scope: 'both', read: yesNo },
  readdquiescent: { scope: 'global', read: yesNo },
  cleanstop: { scope: 'both', read: yesNo },
  fallback: { scope: 'both', read: fallback },
  fallback6: { scope: 'both', read: fallback },
  fallbackcommand: { scope: 'both', read: text },
  emailalert: { scope: 'both', read: text },
  emailalertfreq: { scope: 'both', read: nonNegativeNumber },
  emailalertstatus: { scope: 'both', read: text },
  emailalertfrom: { scope: 'global', read: text },
  smtp: { scope: 'both', read: text },
  autoreload: { scope: 'global', read: yesNo },
  callback: { scope: 'global', read: text },
  logfile: { scope: 'global', read: text },
  execute: { scope: 'global', read: text },
  supervised: { scope: 'global', read: yesNo },
  fork: { scope: 'global', read: yesNo },
  maintenancedir: { scope: 'global', read: text },
  checktype: { scope: 'virtual', read: checkType },
  checkcommand: { scope: 'virtual', read: text },
  checkport: { scope: 'virtual', read: port },
  request: { scope: 'virtual', read: text },
  receive: { scope: 'virtual', read: text },
  httpmethod: { scope: 'virtual', read: oneOf(['GET', 'HEAD'] as const) },
  virtualhost: { scope: 'virtual', read: text },
  service: { scope: 'virtual', read: oneOf(SERVICES) },
  login: { scope: 'virtual', read: text },
  passwd: { scope: 'virtual', read: text },
  database: { scope: 'virtual', read: text },
  secret: { scope: 'virtual', read: text },
  scheduler: { scope: 'virtual', read: oneOf(SCHEDULERS) },
  persistent: { scope: 'virtual', read: positiveInteger },
  netmask: { scope: 'virtual', read: netmask },
  protocol: { scope: 'virtual', read: oneOf(['tcp', 'udp', 'sctp', 'fwm'] as const) },
  monitorfile: { scope: 'virtual', read: text },
  ops: { scope: 'virtual', read: yesNo },
};

export function isOptionName(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTION_SPECS, name);
}
