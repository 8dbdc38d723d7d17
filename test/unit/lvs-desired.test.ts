// desired.ts: keepalived.conf + health → the IPVS table, one semantic per test.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/model.js';
import { expandAddressRange } from '../../src/lvs/address-range.js';
import { desiredState, parseLvsMethod, quorumHeld, type RealServerHealth } from '../../src/lvs/desired.js';
import { lvsGlobals } from '../../src/lvs/globals.js';

function config(text: string): Config {
  const { config, diagnostics } = loadConfigText(text, 'test.conf', { system: null });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  return config;
}

const vs = (body: string, header = '10.0.0.100 80') => config(`virtual_server ${header} {\n${body}\n}\n`);
const rs = (address: string, body = '') => `real_server ${address} 80 {\n${body}\n}`;
const down = (...ids: string[]) => new Map<string, RealServerHealth>(ids.map((id) => [id, { up: false, weight: 1 }]));
const weights = (services: ReturnType<typeof desiredState>['services'], index = 0) =>
  services[index]!.destinations.map((d) => `${d.address}:${d.port}=${d.weight}`);

describe('desiredState: services', () => {
  it('maps lb_algo, lb_kind, protocol and persistence onto the service and its destinations', () => {
    const c = vs(`lb_algo wrr\nlb_kind DR\nprotocol UDP\npersistence_timeout 300\npersistence_granularity 255.255.255.0\n${rs('10.0.0.1', 'weight 3')}`);
    const [service] = desiredState(c, { health: new Map() }).services;
    expect(service!.service).toMatchObject({ family: 'inet', protocol: 'udp', address: '10.0.0.100', port: 80, scheduler: 'wrr', persistence: 300, netmask: 24 });
    expect(service!.destinations).toEqual([expect.objectContaining({ address: '10.0.0.1', port: 80, weight: 3, forwarding: 'route' })]);
  });

  it('uses wlc, NAT, UDP (keepalived 2.2.7) and no persistence by default', () => {
    const [service] = desiredState(vs(rs('10.0.0.1')), { health: new Map() }).services;
    expect(service!.service).toMatchObject({ protocol: 'udp', scheduler: 'wlc', persistence: null, netmask: 32 });
    expect(service!.destinations[0]!.forwarding).toBe('masq');
  });

  it('lets a real server override the forwarding method, including TUN options', () => {
    const c = vs(`lvs_method NAT\n${rs('10.0.0.1', 'lvs_method TUN type gue port 6080 csum')}\n${rs('10.0.0.2')}`);
    const [service] = desiredState(c, { health: new Map() }).services;
    expect(service!.destinations.map((d) => [d.forwarding, d.tunnelType, d.tunnelPort, d.tunnelFlags])).toEqual([
      ['tunnel', 'gue', 6080, 1],
      ['masq', 'ipip', 0, 0],
    ]);
    expect(parseLvsMethod(['TUN', 'type', 'gre', 'remcsum'])).toMatchObject({ forwarding: 'tunnel', tunnelType: 'gre', tunnelFlags: 2 });
  });

  it('makes a fwmark service whose real servers keep their ports (0 when not given)', () => {
    const c = config('virtual_server fwmark 7 {\n lb_algo rr\n real_server 10.0.0.1 {\n }\n real_server 10.0.0.2 8080 {\n }\n}\n');
    const [service] = desiredState(c, { health: new Map() }).services;
    expect(service!.service).toMatchObject({ family: 'inet', fwmark: 7 });
    expect(weights([service!])).toEqual(['10.0.0.1:0=1', '10.0.0.2:8080=1']);
  });

  it('expands a virtual_server_group into one service per address, range member and fwmark', () => {
    const c = config(`virtual_server_group web {\n 10.0.1.1 80\n 10.0.2.1-3 80\n fwmark 5\n}\nvirtual_server group web {\n lb_algo rr\n ${rs('10.0.0.1')}\n}\n`);
    const services = desiredState(c, { health: new Map() }).services;
    expect(services.map((s) => s.service.fwmark ?? `${s.service.address}:${s.service.port}`)).toEqual(['10.0.1.1:80', '10.0.2.1:80', '10.0.2.2:80', '10.0.2.3:80', 5]);
    expect(services.every((s) => s.destinations.length === 1)).toBe(true);
  });

  it('expands address ranges written as a last octet, a last address or a prefix', () => {
    expect(expandAddressRange('192.168.200.250', '192.168.201.1')).toEqual(['192.168.200.250', '192.168.200.251', '192.168.200.252', '192.168.200.253', '192.168.200.254', '192.168.200.255', '192.168.201.0', '192.168.201.1']);
    expect(expandAddressRange('192.168.202.8', '/30')).toEqual(['192.168.202.8', '192.168.202.9', '192.168.202.10', '192.168.202.11']);
    expect(expandAddressRange('2001:db8::1', 'a')).toHaveLength(10);
    expect(expandAddressRange('2001:db8::ffff', '2001:db8::1:1')).toEqual(['2001:db8::ffff', '2001:db8::1:0', '2001:db8::1:1']);
  });

  it('leaves an ha_suspend service out while its address is not on this host', () => {
    const c = vs(`ha_suspend\n${rs('10.0.0.1')}`);
    expect(desiredState(c, { health: new Map(), localAddresses: new Set(['127.0.0.1']) }).services).toHaveLength(0);
    expect(desiredState(c, { health: new Map(), localAddresses: new Set(['10.0.0.100']) }).services).toHaveLength(1);
  });

  it('sets scheduler flags and one-packet scheduling', () => {
    const c = vs(`lb_algo sh\nsh-port\nsh-fallback\nops\nprotocol UDP\n${rs('10.0.0.1')}`);
    expect(desiredState(c, { health: new Map() }).services[0]!.service).toMatchObject({ schedulerFlags: [1, 2], onePacket: true });
  });
});

describe('desiredState: health', () => {
  const three = vs(`lb_algo wrr\n${rs('10.0.0.1', 'weight 3')}\n${rs('10.0.0.2', 'weight 2')}\n${rs('10.0.0.3', 'weight 1')}`);

  it('removes a real server that is down', () => {
    const { services } = desiredState(three, { health: down('10.0.0.100:80/10.0.0.2:80') });
    expect(weights(services)).toEqual(['10.0.0.1:80=3', '10.0.0.3:80=1']);
    expect(services[0]!.named).toHaveLength(3);
  });

  it('keeps a down real server at weight 0 with inhibit_on_failure (virtual or real server level)', () => {
    const c = vs(`inhibit_on_failure\n${rs('10.0.0.1')}\n${rs('10.0.0.2')}`);
    expect(weights(desiredState(c, { health: down('10.0.0.100:80/10.0.0.1:80') }).services)).toEqual(['10.0.0.1:80=0', '10.0.0.2:80=1']);
    const perServer = vs(`${rs('10.0.0.1', 'inhibit_on_failure')}\n${rs('10.0.0.2')}`);
    expect(weights(desiredState(perServer, { health: down('10.0.0.100:80/10.0.0.1:80', '10.0.0.100:80/10.0.0.2:80') }).services)).toEqual(['10.0.0.1:80=0']);
  });

  it('uses a dynamic weight from the health (misc_dynamic)', () => {
    const health = new Map([['10.0.0.100:80/10.0.0.1:80', { up: true, weight: 42 }]]);
    expect(weights(desiredState(three, { health }).services)[0]).toBe('10.0.0.1:80=42');
  });

  it('replaces every real server with the sorry server when the quorum is lost, and back', () => {
    const c = vs(`quorum 3\nsorry_server 10.0.9.9 8080\n${rs('10.0.0.1', 'weight 2')}\n${rs('10.0.0.2', 'weight 2')}`);
    const start = desiredState(c, { health: new Map() });
    expect(start.quorum.get('UDP:10.0.0.100:80')).toBe(true);
    expect(start.quorumChanges).toEqual([]);
    expect(weights(start.services)).toEqual(['10.0.0.1:80=2', '10.0.0.2:80=2']);
    const lost = desiredState(c, { health: down('10.0.0.100:80/10.0.0.1:80'), quorum: start.quorum });
    expect(lost.quorumChanges).toEqual([{ virtualServerId: 'UDP:10.0.0.100:80', up: false, aliveWeight: 2 }]);
    expect(weights(lost.services)).toEqual(['10.0.9.9:8080=1']);
    const back = desiredState(c, { health: new Map(), quorum: lost.quorum });
    expect(back.quorumChanges).toEqual([{ virtualServerId: 'UDP:10.0.0.100:80', up: true, aliveWeight: 4 }]);
    expect(weights(back.services)).toEqual(['10.0.0.1:80=2', '10.0.0.2:80=2']);
  });

  it('puts the sorry server in when all real servers are down (default quorum 1), with sorry_server_lvs_method', () => {
    const c = vs(`lb_kind DR\nsorry_server 10.0.9.9 80\nsorry_server_lvs_method NAT\n${rs('10.0.0.1')}`);
    const { services } = desiredState(c, { health: down('10.0.0.100:80/10.0.0.1:80') });
    expect(services[0]!.destinations).toEqual([expect.objectContaining({ address: '10.0.9.9', weight: 1, forwarding: 'masq' })]);
  });

  it('keeps the sorry server at weight 0 while the quorum holds with sorry_server_inhibit', () => {
    const c = vs(`sorry_server 10.0.9.9 80\nsorry_server_inhibit\n${rs('10.0.0.1')}`);
    expect(weights(desiredState(c, { health: new Map() }).services)).toEqual(['10.0.0.1:80=1', '10.0.9.9:80=0']);
  });

  it('keeps the real servers as they are when the quorum is lost without a sorry server', () => {
    const c = vs(`quorum 2\ninhibit_on_failure\n${rs('10.0.0.1')}\n${rs('10.0.0.2')}`);
    const { services, quorum } = desiredState(c, { health: down('10.0.0.100:80/10.0.0.1:80'), quorum: new Map([['UDP:10.0.0.100:80', true]]) });
    expect(quorum.get('UDP:10.0.0.100:80')).toBe(false);
    expect(weights(services)).toEqual(['10.0.0.1:80=0', '10.0.0.2:80=1']);
  });

  it('applies hysteresis around the quorum', () => {
    expect(quorumHeld(true, 3, 4, 1)).toBe(true);
    expect(quorumHeld(true, 2, 4, 1)).toBe(false);
    expect(quorumHeld(false, 4, 4, 1)).toBe(false);
    expect(quorumHeld(false, 5, 4, 1)).toBe(true);
    expect(quorumHeld(undefined, 4, 4, 1)).toBe(true);
  });
});

describe('lvsGlobals', () => {
  it('reads lvs_timeouts and lvs_flush', () => {
    const c = config('global_defs {\n lvs_timeouts tcp 900 tcpfin 30 udp 300\n lvs_flush\n}\n');
    expect(lvsGlobals(c.global.settings)).toEqual({ timeouts: { tcp: 900, tcpFin: 30, udp: 300 }, flushAtStart: true });
    expect(lvsGlobals(config('global_defs {\n router_id x\n}\n').global.settings)).toEqual({ timeouts: null, flushAtStart: false });
  });
});
