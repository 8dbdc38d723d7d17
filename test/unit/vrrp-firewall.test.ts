// The no_accept / vrrp_strict firewall: which instances' VIPs are dropped (plan.ts), the nft text,
// and VipFirewall keeping the sets in step with MASTER instances (with a recording nft runner;
// test/interop/vrrp-keepalived-no-accept.test.ts runs the real nft against keepalived's rules).
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { createTableScript, elementsScript, firewallPlan } from '../../src/vrrp/firewall/plan.js';
import { VipFirewall } from '../../src/vrrp/firewall/vip-firewall.js';

const load = (text: string) => loadConfigText(text, 'keepalived.conf', { system: null }).config;
const instance = (name: string, vrid: number, body: string, vips: string) => `vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
${body}
  virtual_ipaddress {
${vips}
  }
}
`;

describe('firewallPlan', () => {
  it('firewalls no_accept instances and, with vrrp_strict, every instance without accept; never an owner (priority 255)', () => {
    const plain = load(instance('NA', 1, '  priority 100\n  no_accept', '    10.0.0.1/24\n    10.0.0.1/24') + instance('OPEN', 2, '  priority 100', '    10.0.0.2/24'));
    expect(firewallPlan(plain)).toEqual({ table: 'keepalived', instances: new Map([['NA', { family: 'inet', addresses: ['10.0.0.1'] }]]) });
    const strict = load(`global_defs {\n  vrrp_strict\n  nftables kt\n}\n`
      + instance('S', 1, '  priority 100\n  virtual_ipaddress_excluded {\n    10.0.0.9/32\n  }', '    10.0.0.1/24')
      + instance('S6', 2, '  priority 100', '    fd00::1/64\n    fe80::99/64')
      + instance('ACC', 3, '  priority 100\n  accept', '    10.0.0.3/24')
      + instance('OWNER', 4, '  priority 255', '    10.0.0.4/24'));
    expect(firewallPlan(strict)).toEqual({ table: 'kt', instances: new Map([
      ['S', { family: 'inet', addresses: ['10.0.0.1', '10.0.0.9'] }],
      ['S6', { family: 'inet6', addresses: ['fd00::1'] }],
    ]) });
    expect(firewallPlan(load(instance('OPEN', 2, '  priority 100', '    10.0.0.2/24')))).toBeUndefined();
    // A name that is not an nft identifier never reaches nft's script text.
    const injected = firewallPlan(load(`global_defs {\n  nftables "x; flush ruleset"\n}\n` + instance('NA', 1, '  priority 100\n  no_accept', '    10.0.0.1/24')));
    expect(injected).toMatchObject({ table: 'keepalived', rejectedTableName: 'x; flush ruleset' });
  });

  it('writes a table that replaces an earlier one atomically, and element changes', () => {
    const table = createTableScript('inet', 'keepalived');
    expect(table.startsWith('table ip keepalived {}\ndelete table ip keepalived\ntable ip keepalived {\n')).toBe(true);
    expect(table).toContain('type filter hook input priority filter - 1; policy accept;\n    ip daddr @vips drop');
    expect(createTableScript('inet6', 'keepalived')).toContain('icmpv6 type @neighbor-discovery accept');
    expect(elementsScript('delete', 'inet6', 'k', ['fd00::1', 'fd00::2'])).toBe('delete element ip6 k vips { fd00::1, fd00::2 }\n');
  });
});

describe('VipFirewall', () => {
  const plan = firewallPlan(load(`global_defs {\n  vrrp_strict\n}\n`
    + instance('A', 1, '  priority 100', '    10.0.0.1/24\n    10.0.0.5/24')
    + instance('B', 2, '  priority 100', '    10.0.0.2/24\n    10.0.0.5/24')
    + instance('OWNER', 3, '  priority 255', '    10.0.0.3/24')))!;

  function recorder(failing: (script: string) => boolean = () => false) {
    const scripts: string[] = [];
    const errors: string[] = [];
    const firewall = new VipFirewall(plan, { info: () => undefined, error: (m) => errors.push(m) }, async (script) => {
      scripts.push(script);
      return failing(script) ? 'Error: no such file' : undefined;
    });
    return { firewall, scripts, errors };
  }

  it('converges on the latest states when changes come faster than nft runs', async () => {
    const { firewall, scripts } = recorder();
    firewall.instanceState('A', 'MASTER');
    firewall.instanceState('B', 'MASTER');
    firewall.instanceState('A', 'BACKUP');
    await firewall.settled();
    expect(scripts).toEqual([createTableScript('inet', 'keepalived'), elementsScript('add', 'inet', 'keepalived', ['10.0.0.2', '10.0.0.5'])]);
  });

  it('creates the table on the first MASTER, keeps shared VIPs while one holder is MASTER, deletes the table on close', async () => {
    const { firewall, scripts } = recorder();
    firewall.instanceState('A', 'BACKUP');
    firewall.instanceState('OWNER', 'MASTER');
    await firewall.settled();
    expect(scripts).toEqual([]);
    firewall.instanceState('A', 'MASTER');
    await firewall.settled();
    firewall.instanceState('B', 'MASTER');
    await firewall.settled();
    firewall.instanceState('A', 'BACKUP');
    await firewall.settled();
    expect(scripts).toEqual([
      createTableScript('inet', 'keepalived'),
      elementsScript('add', 'inet', 'keepalived', ['10.0.0.1', '10.0.0.5']),
      elementsScript('add', 'inet', 'keepalived', ['10.0.0.2']),
      elementsScript('delete', 'inet', 'keepalived', ['10.0.0.1']),
    ]);
    scripts.length = 0;
    firewall.instanceState('B', 'STOP');
    await firewall.close();
    expect(scripts).toEqual([elementsScript('delete', 'inet', 'keepalived', ['10.0.0.5', '10.0.0.2']), 'delete table ip keepalived\n']);
  });

  it('a reload\'s plan without the instance empties the set; a failed nft run is logged and retried on the next change', async () => {
    let failures = 1;
    const { firewall, scripts, errors } = recorder((script) => script.startsWith('table') && failures-- > 0);
    firewall.instanceState('A', 'MASTER');
    await firewall.settled();
    expect(errors).toEqual([expect.stringMatching(/^nftables: creating the inet table failed \(1 so far\): Error: no such file/)]);
    expect(firewall.failures).toBe(1);
    expect(scripts).toHaveLength(1);
    firewall.instanceState('B', 'MASTER');
    await firewall.settled();
    expect(scripts.slice(1)).toEqual([createTableScript('inet', 'keepalived'), elementsScript('add', 'inet', 'keepalived', ['10.0.0.1', '10.0.0.5', '10.0.0.2'])]);
    const ok = recorder();
    ok.firewall.instanceState('A', 'MASTER');
    await ok.firewall.settled();
    ok.firewall.replacePlan(undefined);
    await ok.firewall.settled();
    expect(ok.scripts.at(-1)).toBe(elementsScript('delete', 'inet', 'keepalived', ['10.0.0.1', '10.0.0.5']));
  });
});
