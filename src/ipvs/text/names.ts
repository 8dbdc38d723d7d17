// Port names for ipvsadm's non-numeric views (-L, -S without -n) and for restore lines that use
// them ("10.0.0.1:http"), read from /etc/services. Addresses stay numeric: a director's listing
// must not hang on DNS.
import { readFileSync } from 'node:fs';
import type { PortResolver } from './rules.js';

export type PortNamer = (port: number, protocol: string) => string;

export const numericPorts: PortNamer = (port) => String(port);

export interface ServiceNames {
  readonly namePort: PortNamer;
  readonly resolvePort: PortResolver;
}

/** Parses services(5) text; the first name listed for a port/protocol wins, aliases resolve too. */
export function serviceNamesFromText(text: string): ServiceNames {
  const names = new Map<string, string>();
  const ports = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    const match = /^(\d+)\/(\w+)$/.exec(fields[1] ?? '');
    if (!fields[0] || !match) continue;
    const port = Number(match[1]);
    const protocol = match[2]!;
    if (!names.has(`${port}/${protocol}`)) names.set(`${port}/${protocol}`, fields[0]);
    for (const name of [fields[0], ...fields.slice(2)]) {
      if (!ports.has(`${name}/${protocol}`)) ports.set(`${name}/${protocol}`, port);
    }
  }
  return {
    namePort: (port, protocol) => (port === 0 ? '0' : names.get(`${port}/${protocol}`) ?? String(port)),
    resolvePort: (name, protocol) => ports.get(`${name}/${protocol}`) ?? null,
  };
}

export function systemServiceNames(path = '/etc/services'): ServiceNames {
  try {
    return serviceNamesFromText(readFileSync(path, 'utf8'));
  } catch {
    return { namePort: numericPorts, resolvePort: () => null };
  }
}
