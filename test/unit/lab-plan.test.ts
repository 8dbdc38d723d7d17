// The lab reads its topology from the director config: ids from @id lines, priorities, LANs and
// the measured instance; generated configs round-trip through the same reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labOptions } from '../../src/cli/lab.js';
import { generateConfig, generatedDirectorIds } from '../../src/lab/generated-config.js';
import { conditionalIds, lanAround, masterDownInterval, planLab } from '../../src/lab/plan.js';
import { formatReport, passed, type LabReport } from '../../src/lab/report.js';

const example = (name: string) => {
  const file = join(import.meta.dirname, '..', '..', 'conf.examples', name);
  return { file, text: readFileSync(file, 'utf8') };
};

describe('planLab on conf.examples', () => {
  it('master-backup: lb1 is primary, directors on 192.0.2.0/24, VIP and timers from the file', () => {
    const { file, text } = example('master-backup.conf');
    expect(conditionalIds(text)).toEqual(['lb1', 'lb2']);
    const result = planLab(text, file, ['lb1', 'lb2']);
    if (!result.ok) throw new Error(result.error);
    const { plan } = result;
    expect(plan.primary).toBe('lb1');
    expect(plan.backup).toBe('lb2');
    expect(plan.instance).toEqual({ name: 'VI_WEB', interfaceName: 'eth0', vips: ['192.0.2.100'], version: 2, advertIntSeconds: 1, unicast: false, higherPrioSendAdvert: true });
    expect(plan.directors.map((d) => [d.id, d.priority, d.addresses.get('eth0')])).toEqual([['lb1', 150, '192.0.2.11'], ['lb2', 100, '192.0.2.12']]);
    expect(plan.clientAddress).toBe('192.0.2.50');
    expect(plan.hasVirtualServer).toBe(false);
    expect(plan.directRouting).toBe(false);
    expect(plan.masterDownSeconds).toBeCloseTo(3 + 156 / 256, 9);
  });

  it('unicast: director addresses come from unicast_src_ip', () => {
    const { file, text } = example('unicast.conf');
    const result = planLab(text, file, conditionalIds(text));
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.instance.unicast).toBe(true);
    expect(result.plan.directors.map((d) => d.addresses.get('eth0'))).toEqual(['10.0.0.11', '10.0.0.12']);
  });

  it('ipv6-vrrpv3: an IPv6 /64 LAN around the VIP, version 3', () => {
    const { file, text } = example('ipv6-vrrpv3.conf');
    const result = planLab(text, file, conditionalIds(text));
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.lans[0]!.family).toBe(6);
    expect(result.plan.directors[0]!.addresses.get('eth0')).toBe('fd00:0:0:1::11');
    expect(result.plan.instance.version).toBe(3);
  });

  it('sync-group: one LAN per interface, directors named gw1/gw2', () => {
    const { file, text } = example('sync-group.conf');
    const result = planLab(text, file, conditionalIds(text));
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.lans.map((lan) => lan.interfaceName)).toEqual(['eth0', 'eth1']);
    expect(result.plan.primary).toBe('gw1');
    expect(result.plan.directors[1]!.addresses.get('eth1')).toBe('10.1.0.12');
  });

  it('lvs-dr-http: notices the virtual_server', () => {
    const { file, text } = example('lvs-dr-http.conf');
    const result = planLab(text, file, conditionalIds(text));
    expect(result.ok && result.plan.hasVirtualServer).toBe(true);
    expect(result.ok && result.plan.directRouting).toBe(true);
  });

  it('refuses a config without a vrrp_instance, and a single director', () => {
    expect(planLab('global_defs {\n}\n', 'x.conf', ['lb1', 'lb2'])).toEqual({ ok: false, error: 'x.conf has no vrrp_instance' });
    expect(planLab('', 'x.conf', ['lb1']).ok).toBe(false);
  });
});

describe('generated configs', () => {
  it('plan back into the directors, priorities and options they were made from', () => {
    const text = generateConfig({ directors: 3, advertIntSeconds: 0.1, version: 3, unicast: true });
    const result = planLab(text, 'generated', generatedDirectorIds(3));
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.directors.map((d) => d.priority)).toEqual([150, 100, 50]);
    expect(result.plan.instance).toMatchObject({ version: 3, advertIntSeconds: 0.1, unicast: true, higherPrioSendAdvert: true });
    expect(result.plan.backup).toBe('lb2');
    expect(text).toContain('@lb3 192.0.2.11');
  });
});

describe('higher_prio_send_advert in the plan', () => {
  const plan = (instanceLine: string, globalLine = ''): boolean => {
    const text = `global_defs {\n${globalLine}\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n  @lb1 priority 150\n  @lb2 priority 100\n${instanceLine}\n  virtual_ipaddress {\n    192.0.2.100/32\n  }\n}\n`;
    const result = planLab(text, 'x.conf', ['lb1', 'lb2']);
    if (!result.ok) throw new Error(result.error);
    return result.plan.instance.higherPrioSendAdvert;
  };

  it('is read from the instance or from global_defs, and a false argument turns it off', () => {
    expect(plan('')).toBe(false);
    expect(plan('  higher_prio_send_advert')).toBe(true);
    expect(plan('  higher_prio_send_advert false')).toBe(false);
    expect(plan('', '  vrrp_higher_prio_send_advert')).toBe(true);
    expect(plan('  higher_prio_send_advert off', '  vrrp_higher_prio_send_advert')).toBe(false);
  });
});

describe('lanAround and masterDownInterval', () => {
  it('places /24 and /64 LANs', () => {
    expect(lanAround('eth0', '10.0.0.100')?.host(50)).toBe('10.0.0.50');
    expect(lanAround('eth0', '2001:db8::100')?.host(11)).toBe('2001:db8:0:0::11');
    expect(lanAround('eth0', 'not-an-address')).toBeUndefined();
  });

  it('follows RFC 3768 for v2 and RFC 5798 for v3', () => {
    expect(masterDownInterval({ version: 2, advertIntSeconds: 1 }, 100)).toBeCloseTo(3.609375, 9);
    expect(masterDownInterval({ version: 3, advertIntSeconds: 0.1 }, 100)).toBeCloseTo(0.3609375, 9);
  });
});

describe('labOptions', () => {
  it('defaults to every scenario once on ours with the example config', () => {
    const options = labOptions({});
    expect(options).toMatchObject({ repeat: 1, implementation: 'ours', keep: false });
    expect(typeof options !== 'string' && options.scenarios.length).toBe(8);
    expect(typeof options !== 'string' && options.generated).toBeUndefined();
  });

  it('generates a config for timer, version, unicast and director options', () => {
    expect(labOptions({ 'advert-int': '0.1', 'vrrp-version': '3', directors: '3', unicast: true })).toMatchObject({
      generated: { directors: 3, advertIntSeconds: 0.1, version: 3, unicast: true },
    });
  });

  it('rejects what keepalived would not run or the lab cannot build', () => {
    expect(labOptions({ 'advert-int': '0.5' })).toMatch(/needs --vrrp-version 3/);
    expect(labOptions({ 'advert-int': '0.005', 'vrrp-version': '3' })).toMatch(/0\.01/);
    expect(labOptions({ scenario: 'election,bogus' })).toMatch(/unknown scenario 'bogus'/);
    expect(labOptions({ config: 'x.conf', unicast: true })).toMatch(/cannot be combined/);
    expect(labOptions({ impl: 'frr' })).toMatch(/--impl/);
    expect(labOptions({ directors: '1' })).toMatch(/--directors/);
  });
});

describe('formatReport', () => {
  const report: LabReport = {
    runId: 'abc',
    config: 'master-backup.conf',
    directors: [{ id: 'lb1', implementation: 'keepalived', priority: 150, primary: true }, { id: 'lb2', implementation: 'ours', priority: 100, primary: false }],
    vip: '192.0.2.100',
    version: 2,
    advertIntSeconds: 1,
    unicast: false,
    masterDownSeconds: 3.609,
    results: [
      { scenario: 'crash', summary: '', runs: [{ vipSeconds: 3.5, transitions: 1 }, { vipSeconds: 3.6, transitions: 1 }, { vipSeconds: 3.4, transitions: 1 }], failures: [] },
      { scenario: 'real-server', summary: '', runs: [], failures: [], skipped: 'needs IPVS' },
      { scenario: 'partition', summary: '', runs: [{ vipSeconds: 3.6, recoverySeconds: 0.4, transitions: 2 }], failures: [] },
      { scenario: 'stop', summary: '', runs: [], failures: ['no VIP'] },
    ],
  };

  it('shows medians, skips and failures, and fails the run on any failure', () => {
    const text = formatReport(report);
    expect(text).toMatch(/crash\s+3\/3\s+3\.500 s/);
    expect(text).toContain('skipped: needs IPVS');
    expect(text).toMatch(/^partition\s+1\/1\s+3\.600 s\s.*ok \(one master 0\.400 s after healing\)/m);
    expect(text).toMatch(/stop\s+0\/1 .*FAILED: no VIP/);
    expect(text).toContain('lb1 keepalived prio 150 (primary), lb2 ours prio 100');
    expect(passed(report)).toBe(false);
    expect(passed({ ...report, results: report.results.filter((result) => result.failures.length === 0) })).toBe(true);
  });

  it('shows when the client was back after a healed partition', () => {
    const partition = { scenario: 'partition' as const, summary: '', runs: [{ vipSeconds: 0.35, recoverySeconds: 0.1, clientBackSeconds: 0.12, transitions: 2 }], failures: [] };
    expect(formatReport({ ...report, results: [partition] })).toMatch(/^partition\s+1\/1\s+.*ok \(one master 0\.100 s after healing, client back after 0\.120 s\)/m);
  });

  it('shows how long a failed real server took to leave and rejoin IPVS', () => {
    const realServer = { scenario: 'real-server' as const, summary: '', runs: [{ serverOutSeconds: 6.5, serverBackSeconds: 15.2, transitions: 0 }], failures: [] };
    expect(formatReport({ ...report, results: [realServer] })).toMatch(/^real-server\s+1\/1\s+—.*ok \(out of IPVS after 6\.500 s, back 15\.200 s after it returned\)/m);
  });
});
