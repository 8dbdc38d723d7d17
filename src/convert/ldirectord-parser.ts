// Reads ldirectord.cf text into the typed model. Pure: text in, model and warnings out; nothing
// throws. Layout rules follow ldirectord: `virtual=`/`virtual6=` lines start a virtual service,
// its options are the indented lines below it, and an unindented line returns to the global
// section. Tutorials often lose the indentation when pasted, so an unindented option that only
// makes sense inside a virtual service is kept in the current one, with a warning.
import type { Family, LdirectordConfig, Located, OptionName, OptionValues, RealServer, Settings, VirtualService, VirtualTarget } from './ldirectord-model.js';
import { FORWARDING_METHODS, OPTION_SPECS, hostPort, isIPv4, isOptionName, type ValueResult } from './ldirectord-options.js';
import { warning, type ConversionWarning } from './warnings.js';

export interface ParseResult {
  readonly config: LdirectordConfig;
  readonly warnings: readonly ConversionWarning[];
}

/** More real servers than this from one `a->b` range is almost certainly a typo. */
export const MAX_RANGE_EXPANSION = 256;

interface OpenVirtual {
  readonly line: number;
  readonly family: Family;
  readonly target: VirtualTarget;
  readonly settings: Settings;
  readonly reals: RealServer[];
  readonly comments: string[];
}

/** A `virtual=` line that could not be read: its indented lines are skipped with it. */
interface SkippedVirtual {
  readonly skipped: true;
}

export function parseLdirectordConfig(text: string): ParseResult {
  const warnings: ConversionWarning[] = [];
  const globalSettings: Settings = {};
  const globalComments: string[] = [];
  const virtuals: OpenVirtual[] = [];
  let current: OpenVirtual | SkippedVirtual | undefined;
  let latest: OpenVirtual | SkippedVirtual | undefined;
  let pendingComments: string[] = [];

  const takePending = (): string[] => {
    const taken = pendingComments;
    pendingComments = [];
    return taken;
  };

  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') return;
    const commentOnly = /^\s*#\s?(.*)$/.exec(line);
    if (commentOnly) {
      pendingComments.push((commentOnly[1] as string).trimEnd());
      return;
    }
    const { code, comment } = splitTrailingComment(line);
    const option = /^(\s*)([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(code);
    if (!option) {
      warnings.push(warning(lineNumber, 'syntax', `'${code.trim()}' is not a name=value line; ignored`));
      return;
    }
    const indented = (option[1] as string).length > 0;
    // real6= is the newer spelling inside virtual6= services; both read the same way here.
    const name = (option[2] as string).toLowerCase().replace(/^real6$/, 'real');
    const rawValue = option[3] as string;

    if (name === 'virtual' || name === 'virtual6') {
      if (indented) warnings.push(warning(lineNumber, name, 'should not be indented; read as the start of a new virtual service'));
      const target = readVirtualTarget(name === 'virtual6' ? 'inet6' : 'inet', unquote(rawValue));
      if (!target.ok) {
        warnings.push(warning(lineNumber, name, `${target.reason}; this virtual service and its indented options are not converted`));
        current = latest = { skipped: true };
        takePending();
        return;
      }
      const comments = takePending();
      if (comment !== undefined) comments.push(comment);
      current = latest = { line: lineNumber, family: name === 'virtual6' ? 'inet6' : 'inet', target: target.value, settings: {}, reals: [], comments };
      virtuals.push(current);
      return;
    }

    // An unindented line ends the virtual service, unless it only makes sense inside one: then it
    // is kept in the most recent virtual service (tutorials often lose the indentation).
    const belongsToVirtual = name === 'real' || (isOptionName(name) && OPTION_SPECS[name].scope === 'virtual');
    if (!indented) current = belongsToVirtual ? latest : undefined;
    if (current !== undefined && 'skipped' in current) {
      takePending();
      return;
    }
    if (current !== undefined && !indented) {
      warnings.push(warning(lineNumber, name, `is not indented, so ldirectord would reject it outside a virtual service; taken as part of the virtual service at line ${current.line}`));
    }

    if (name === 'real') {
      if (current === undefined) {
        warnings.push(warning(lineNumber, 'real', 'appears outside any virtual service; ignored'));
        takePending();
        return;
      }
      const comments = takePending();
      if (comment !== undefined) comments.push(comment);
      const open = current;
      const reals = readRealServers(lineNumber, rawValue, comments, warnings);
      if (reals.some((real) => real.family !== open.family)) {
        warnings.push(warning(lineNumber, 'real', `address family does not match the virtual service at line ${open.line} (IPv4 and IPv6 cannot be mixed); ignored`));
        return;
      }
      open.reals.push(...reals);
      return;
    }

    if (!isOptionName(name)) {
      warnings.push(warning(lineNumber, name, 'is not an ldirectord option; ignored'));
      return;
    }
    const scope = OPTION_SPECS[name].scope;
    const owner = current;
    if (owner === undefined && scope === 'virtual') {
      warnings.push(warning(lineNumber, name, 'belongs inside a virtual service (indent it below a virtual= line); ignored'));
      return;
    }
    if (owner !== undefined && scope === 'global') {
      warnings.push(warning(lineNumber, name, 'is a global option and has no effect inside a virtual service; ignored'));
      return;
    }
    const settings = owner?.settings ?? globalSettings;
    const comments = owner?.comments ?? globalComments;
    comments.push(...takePending());
    if (comment !== undefined) comments.push(comment);
    const previous = settings[name];
    const rejected = applyOption(settings, name, unquote(rawValue), lineNumber);
    if (rejected !== undefined) warnings.push(warning(lineNumber, name, `${rejected}; ignored`));
    else if (previous !== undefined) warnings.push(warning(lineNumber, name, `repeats line ${previous.line}; the later value is used`));
  });

  const trailing = takePending();
  const last = virtuals[virtuals.length - 1];
  (current !== undefined && !('skipped' in current) && last ? last.comments : globalComments).push(...trailing);

  return {
    config: { settings: globalSettings, virtuals: virtuals as readonly VirtualService[], comments: globalComments },
    warnings,
  };
}

/** Reads one option's value into settings; returns why it was rejected, if it was. */
function applyOption<K extends OptionName>(settings: Settings, name: K, raw: string, line: number): string | undefined {
  const read = OPTION_SPECS[name].read(raw);
  if (!read.ok) return read.reason;
  const located: Located<OptionValues[K]> = { value: read.value, line };
  (settings as { [P in K]?: Located<OptionValues[P]> })[name] = located;
  return undefined;
}

/** Splits `code # comment` at the first `#` that is not inside double quotes. */
function splitTrailingComment(line: string): { code: string; comment?: string } {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === '#' && !quoted) return { code: line.slice(0, i), comment: line.slice(i + 1).trim() };
  }
  return { code: line };
}

function unquote(value: string): string {
  return /^"[^"]*"$/.test(value) ? value.slice(1, -1) : value;
}

function readVirtualTarget(family: Family, raw: string): ValueResult<VirtualTarget> {
  if (/^\d+$/.test(raw)) {
    const mark = Number(raw);
    return mark >= 1 && mark <= 0xffffffff ? { ok: true, value: { kind: 'fwmark', mark } } : { ok: false, reason: `fwmark '${raw}' is out of range` };
  }
  const parsed = hostPort(raw);
  if (!parsed.ok) return parsed;
  if (parsed.value.family !== family) {
    const hint = family === 'inet6' ? 'virtual6= takes [IPv6-ADDRESS]:PORT' : 'IPv6 services are written virtual6=[ADDRESS]:PORT';
    return { ok: false, reason: hint };
  }
  if (parsed.value.port === undefined) return { ok: false, reason: `'${raw}' has no port (write ADDRESS:PORT, or a number for a fwmark service)` };
  return { ok: true, value: { kind: 'address', address: parsed.value.address, port: parsed.value.port } };
}

const ADDRESS = String.raw`\[[0-9A-Fa-f:.]+\]|[0-9.]+|[A-Za-z][\w.]*(?:-(?!>)[\w.]+)*`;
const REAL_TARGET = new RegExp(`^(${ADDRESS})(?:->(${ADDRESS}))?(?::(\\w+)(?:->(\\w+))?)?$`);

/**
 * `real=ADDRESS[->ADDRESS][:PORT[->PORT]] [gate|masq|ipip] [WEIGHT] ["request", "receive"]`:
 * address and port ranges expand to one real server each.
 */
function readRealServers(line: number, raw: string, comments: string[], warnings: ConversionWarning[]): RealServer[] {
  const checkStrings = /"([^"]*)"\s*,?\s*"([^"]*)"\s*$/.exec(raw);
  const head = checkStrings ? raw.slice(0, checkStrings.index) : raw;
  const [where = '', ...words] = head.trim().split(/\s+/);
  const target = REAL_TARGET.exec(where);
  if (!target) {
    warnings.push(warning(line, 'real', `'${where}' is not ADDRESS[->ADDRESS][:PORT]; ignored`));
    return [];
  }
  const addresses = expandAddresses(line, target[1] as string, target[2], warnings);
  if (addresses === undefined) return [];
  const ports = expandPorts(line, target[3], target[4], warnings);
  if (ports === undefined) return [];

  let forwarding: RealServer['forwarding'];
  let weight: number | undefined;
  const leftover: string[] = [];
  for (const word of words) {
    const method = FORWARDING_METHODS.find((m) => m === word.toLowerCase());
    if (method !== undefined && forwarding === undefined && weight === undefined) forwarding = method;
    else if (/^\d+$/.test(word) && weight === undefined) weight = Number(word);
    else leftover.push(word);
  }
  if (forwarding === undefined) warnings.push(warning(line, 'real', 'has no forwarding method (gate, masq or ipip), which ldirectord requires; gate (LVS-DR) assumed'));
  if (leftover.length > 0) warnings.push(warning(line, 'real', `ignored unexpected text '${leftover.join(' ')}' (ldirectord itself would reject this line)`));

  const servers: RealServer[] = [];
  for (const { address, family } of addresses) {
    for (const port of ports) {
      servers.push({
        line,
        address,
        family,
        ...(port !== undefined && { port }),
        ...(forwarding !== undefined && { forwarding }),
        ...(weight !== undefined && { weight }),
        ...(checkStrings && { request: checkStrings[1] as string, receive: checkStrings[2] as string }),
        comments: servers.length === 0 ? comments : [],
      });
    }
  }
  return servers;
}

function expandAddresses(line: number, first: string, last: string | undefined, warnings: ConversionWarning[]): { address: string; family: Family }[] | undefined {
  const read = (text: string): { address: string; family: Family } | undefined => {
    if (text.startsWith('[')) return { address: text.slice(1, -1), family: 'inet6' };
    return isIPv4(text) ? { address: text, family: 'inet' } : undefined;
  };
  const start = read(first);
  if (start === undefined) {
    warnings.push(warning(line, 'real', `'${first}' is not an IP address (keepalived.conf needs addresses, not host names); ignored`));
    return undefined;
  }
  if (last === undefined) return [start];
  const end = read(last);
  if (end === undefined || end.family !== start.family) {
    warnings.push(warning(line, 'real', `range end '${last}' is not an address of the same family; ignored`));
    return undefined;
  }
  if (start.family === 'inet6') {
    warnings.push(warning(line, 'real', 'IPv6 address ranges are not expanded; only the first address is converted'));
    return [start];
  }
  const from = ipv4ToNumber(start.address);
  const to = ipv4ToNumber(end.address);
  if (to < from || to - from >= MAX_RANGE_EXPANSION) {
    warnings.push(warning(line, 'real', `range ${start.address}->${end.address} is empty or longer than ${MAX_RANGE_EXPANSION} addresses; ignored`));
    return undefined;
  }
  const expanded: { address: string; family: Family }[] = [];
  for (let n = from; n <= to; n++) expanded.push({ address: numberToIPv4(n), family: 'inet' });
  return expanded;
}

function expandPorts(line: number, first: string | undefined, last: string | undefined, warnings: ConversionWarning[]): (number | undefined)[] | undefined {
  if (first === undefined) return [undefined];
  const start = hostPort(`0.0.0.0:${first}`);
  const end = last === undefined ? start : hostPort(`0.0.0.0:${last}`);
  if (!start.ok || !end.ok || start.value.port === undefined || end.value.port === undefined) {
    warnings.push(warning(line, 'real', `port '${last === undefined ? first : `${first}->${last}`}' is not a port number or known service name; ignored`));
    return undefined;
  }
  const from = start.value.port;
  const to = end.value.port;
  if (to < from || to - from >= MAX_RANGE_EXPANSION) {
    warnings.push(warning(line, 'real', `port range ${from}->${to} is empty or longer than ${MAX_RANGE_EXPANSION} ports; ignored`));
    return undefined;
  }
  const ports: number[] = [];
  for (let p = from; p <= to; p++) ports.push(p);
  return ports;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

function numberToIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
