// Which VIPs must not be reachable while their instance is MASTER, and the nft scripts that do it.
// RFC 5798 §6.4.3: a master that does not own the addresses (priority below 255) accepts packets
// for them only in Accept_Mode. keepalived 2.2.7 (measured, built with nftables) enforces this for
// every instance with `no_accept`, or `vrrp_strict` without `accept`: on the first MASTER of such
// an instance it creates `table ip keepalived` (`ip6` for IPv6 instances) with a `vips` set and
// input/output chains at priority filter - 1 dropping daddr/saddr @vips (IPv6: neighbour discovery
// and link-local traffic exempt); the instance's VIPs and excluded VIPs are in the set while it is
// MASTER; the tables are deleted when the daemon stops. Pure: builds text for `nft -f -`.
import type { Config } from '../../config/model.js';
import type { Family } from '../../config/values/ip.js';
import { isNftIdentifier } from '../../config/values/nft-identifier.js';

/** An instance whose VIPs are dropped while it is MASTER. */
export interface FirewalledInstance {
  readonly family: Family;
  /** VIPs and excluded VIPs without prefix length, link-local IPv6 ones left out. */
  readonly addresses: readonly string[];
}

export interface FirewallPlan {
  /** The table's name in each family (global `nftables NAME`, default keepalived). */
  readonly table: string;
  readonly instances: ReadonlyMap<string, FirewalledInstance>;
  /** `nftables NAME` that is not an nft identifier (the default name is used instead). */
  readonly rejectedTableName?: string;
}

const OWNER_PRIORITY = 255;

/** The firewalled instances of a config; undefined when there are none. */
export function firewallPlan(config: Config): FirewallPlan | undefined {
  const instances = new Map<string, FirewalledInstance>();
  for (const instance of config.vrrpInstances) {
    if (instance.accept || instance.priority === OWNER_PRIORITY) continue;
    const addresses = [...instance.virtualAddresses, ...instance.excludedAddresses]
      .filter((spec) => spec.family === instance.family && !isLinkLocal(spec.address))
      .map((spec) => spec.address);
    if (addresses.length > 0) instances.set(instance.name, { family: instance.family, addresses: [...new Set(addresses)] });
  }
  if (instances.size === 0) return undefined;
  const named = config.global.settings['nftables'];
  if (typeof named !== 'string' || named === '') return { table: 'keepalived', instances };
  // Checked, not quoted: the name goes into nft's script text (`-t` warns about it, KTS_NFTABLES_NAME).
  return isNftIdentifier(named) ? { table: named, instances } : { table: 'keepalived', instances, rejectedTableName: named };
}

function isLinkLocal(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}

const nftFamily = (family: Family): string => (family === 'inet' ? 'ip' : 'ip6');

/** Creates the family's table afresh (a crashed earlier run's table is replaced), with an empty set. */
export function createTableScript(family: Family, table: string): string {
  const name = `${nftFamily(family)} ${table}`;
  const hook = (chain: string, hookName: string, rules: readonly string[]): string =>
    [`  chain ${chain} {`, `    type filter hook ${hookName} priority filter - 1; policy accept;`, ...rules.map((r) => `    ${r}`), '  }'].join('\n');
  const body = family === 'inet'
    ? ['  set vips {', '    type ipv4_addr', '  }', hook('out', 'output', ['ip saddr @vips drop']), hook('in', 'input', ['ip daddr @vips drop'])]
    : [
        '  set vips {', '    type ipv6_addr', '  }',
        '  set neighbor-discovery {', '    type icmpv6_type', '    flags constant', '    elements = { nd-neighbor-solicit, nd-neighbor-advert }', '  }',
        hook('out', 'output', ['icmpv6 type @neighbor-discovery accept', 'ip6 saddr fe80::/10 goto out_link_local', 'ip6 saddr @vips drop']),
        hook('in', 'input', ['icmpv6 type @neighbor-discovery accept', 'ip6 daddr fe80::/10 goto in_link_local', 'ip6 daddr @vips drop']),
        '  chain in_link_local {', '  }', '  chain out_link_local {', '  }',
      ];
  // `table X {}` first makes the delete valid when no earlier table exists; nft applies the file atomically.
  return [`table ${name} {}`, `delete table ${name}`, `table ${name} {`, ...body, '}', ''].join('\n');
}

/** Adds or deletes VIPs in the family's set. */
export function elementsScript(operation: 'add' | 'delete', family: Family, table: string, addresses: readonly string[]): string {
  return `${operation} element ${nftFamily(family)} ${table} vips { ${addresses.join(', ')} }\n`;
}

export function deleteTableScript(family: Family, table: string): string {
  return `delete table ${nftFamily(family)} ${table}\n`;
}
