// The config the lab writes when asked for timers, a VRRP version, unicast or more directors than
// the examples have: the shape of conf.examples/master-backup.conf, one file for every director
// through `@lbN` lines. Pure. Every director has `higher_prio_send_advert`: after a partition heals,
// the loser (still MASTER) answers the winner's advert with one of its own, so the winner hears a
// lower priority and sends its lower-priority GARP burst, which moves the client back at once
// (without it the client may keep the loser's MAC until its ARP entry expires, 4-45 s measured).

export interface GeneratedConfigOptions {
  readonly directors: number;
  readonly advertIntSeconds: number;
  readonly version: 2 | 3;
  readonly unicast: boolean;
}

/** Director ids of a generated config: lb1, lb2, ... */
export function generatedDirectorIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `lb${index + 1}`);
}

/** Priorities from 150 down in steps that leave room for every director above 1. */
export function generatedPriority(position: number, count: number): number {
  const step = Math.min(50, Math.floor(140 / Math.max(1, count - 1)));
  return 150 - position * step;
}

export function directorAddressOnGeneratedLan(position: number): string {
  return `192.0.2.${11 + position}`;
}

export function generateConfig(options: GeneratedConfigOptions): string {
  const ids = generatedDirectorIds(options.directors);
  const perDirector = (make: (id: string, position: number) => string): string[] => ids.map((id, position) => `  ${'@' + id} ${make(id, position)}`);
  const lines = [
    `# Written by keepalived-ts lab: ${options.directors} directors, VRRPv${options.version}, advert_int ${options.advertIntSeconds}${options.unicast ? ', unicast' : ''}.`,
    'global_defs {',
    ...perDirector((id) => `router_id ${id}`),
    '}',
    '',
    'vrrp_instance VI_LAB {',
    ...perDirector((_, position) => `state ${position === 0 ? 'MASTER' : 'BACKUP'}`),
    '  interface eth0',
    '  virtual_router_id 51',
    `  version ${options.version}`,
    ...perDirector((_, position) => `priority ${generatedPriority(position, options.directors)}`),
    `  advert_int ${options.advertIntSeconds}`,
    '  higher_prio_send_advert',
  ];
  if (options.unicast) {
    lines.push(...perDirector((_, position) => `unicast_src_ip ${directorAddressOnGeneratedLan(position)}`));
    lines.push('  unicast_peer {');
    ids.forEach((id, position) => {
      ids.forEach((_, peer) => {
        if (peer !== position) lines.push(`    @${id} ${directorAddressOnGeneratedLan(peer)}`);
      });
    });
    lines.push('  }');
  }
  lines.push('  virtual_ipaddress {', '    192.0.2.100/32 dev eth0', '  }', '}', '');
  return lines.join('\n');
}
