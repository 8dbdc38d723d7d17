// Value readers and value-line grammars: numbers, booleans, addresses, routes, rules, peers.
import { describe, expect, it } from 'vitest';
import type { Word } from '../../src/config/tree.js';
import { parseAddressLine } from '../../src/config/values/address.js';
import { isIPv4 } from 'node:net';
import { parseIp, parsePort, parsePrefix } from '../../src/config/values/ip.js';
import { parseBool, parseDecimal, parseInteger, shortWholeNumber } from '../../src/config/values/number.js';
import { parsePeerLine } from '../../src/config/values/peer.js';
import { parseRouteLine } from '../../src/config/values/route.js';
import { parseRuleLine } from '../../src/config/values/rule.js';
import { parseServiceAddress } from '../../src/config/values/service-address.js';
import { parseTrackedLine } from '../../src/config/values/tracked.js';

const words = (line: string): Word[] => line.split(/\s+/).map((text, i) => ({ text, quoted: false, loc: { file: 't.conf', line: 1, col: i + 1 } }));
const codes = (r: { problems: readonly { code: string }[] }) => r.problems.map((p) => p.code);

describe('numbers as keepalived reads them', () => {
  it('accepts whole numbers in range and rejects junk and out-of-range values', () => {
    expect(parseInteger('255', 1, 255)).toEqual({ ok: true, value: 255 });
    expect(parseInteger('0', 1, 255)).toEqual({ ok: false, reason: "number '0' outside range [1, 255]" });
    expect(parseInteger('10s', 1, 255).ok).toBe(false);
    expect(parseInteger('1.5', 1, 255).ok).toBe(false);
  });
  it('reads decimal seconds to microseconds, truncating extra digits', () => {
    expect(parseDecimal('0.92', 0, 10)).toEqual({ ok: true, value: 0.92 });
    expect(parseDecimal('0.0000019', 0, 10)).toEqual({ ok: true, value: 0.000001 });
    expect(parseDecimal('.5', 0, 10)).toEqual({ ok: true, value: 0.5 });
    expect(parseDecimal('0', 0.000001, 4294.967295)).toEqual({ ok: false, reason: "number '0' outside range [0.000001, 4294.967295]" });
    expect(parseDecimal('1e3', 0, 10000).ok).toBe(false);
  });
  it('reads lower-case <BOOL> words only, absent meaning true (keepalived refuses `ON`)', () => {
    expect(parseBool(undefined)).toEqual({ ok: true, value: true });
    for (const w of ['on', 'true', 'yes']) expect(parseBool(w)).toEqual({ ok: true, value: true });
    for (const w of ['off', 'false', 'no']) expect(parseBool(w)).toEqual({ ok: true, value: false });
    for (const w of ['maybe', 'ON', 'No']) expect(parseBool(w).ok).toBe(false);
  });
});

describe('address lines', () => {
  it('reads prefix, brd, dev, scope, label and flags', () => {
    const r = parseAddressLine(words('192.168.200.16/24 brd 192.168.200.255 dev eth0 scope link label eth0:1 no_track'));
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual({
      address: '192.168.200.16', family: 'inet', prefixLength: 24, broadcast: '192.168.200.255', dev: 'eth0', scope: 'link', label: 'eth0:1', flags: ['no_track'],
    });
  });
  it('defaults the prefix to the full length and knows IPv6', () => {
    expect(parseAddressLine(words('2001:db8::1')).value).toMatchObject({ family: 'inet6', prefixLength: 128 });
  });
  it('refuses a bad address and reports bad options', () => {
    expect(codes(parseAddressLine(words('10.0.0.300')))).toEqual(['KTS_BAD_ADDRESS']);
    expect(parseAddressLine(words('10.0.0.300')).value).toBeUndefined();
    expect(codes(parseAddressLine(words('10.0.0.1 scope galaxy')))).toEqual(['KTS_BAD_ADDRESS']);
    expect(codes(parseAddressLine(words('10.0.0.1 dev')))).toEqual(['KTS_BAD_ADDRESS']);
  });
  it('rejects prefix lengths longer than the family allows', () => {
    expect(parsePrefix('10.0.0.1/33')).toBeUndefined();
    expect(parsePrefix('2001:db8::/129')).toBeUndefined();
  });
});

describe('route lines', () => {
  it('reads src, destination, via and dev', () => {
    const r = parseRouteLine(words('src 192.168.100.1 192.168.109.0/24 via 192.168.200.254 dev eth1'));
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ destination: '192.168.109.0', prefixLength: 24, via: '192.168.200.254', src: '192.168.100.1', dev: 'eth1' });
  });
  it('accepts gw and or with a deprecation warning like keepalived', () => {
    const r = parseRouteLine(words('0.0.0.0/0 gw 192.168.0.1 table 100'));
    expect(codes(r)).toEqual(['KTS_DEPRECATED']);
    expect(r.value).toMatchObject({ via: '192.168.0.1', table: '100', prefixLength: 0 });
    expect(codes(parseRouteLine(words('192.168.113.0/24 via 192.168.200.254 or 192.168.100.254')))).toEqual(['KTS_DEPRECATED']);
  });
  it('reads route types and metrics, and refuses garbage', () => {
    expect(parseRouteLine(words('blackhole 10.1.0.0/16 metric 5')).value).toMatchObject({ type: 'blackhole', metric: 5 });
    expect(codes(parseRouteLine(words('nowhere')))).toContain('KTS_BAD_ROUTE');
    expect(codes(parseRouteLine(words('10.0.0.0/8 via banana')))).toEqual(['KTS_BAD_ROUTE']);
  });
});

describe('rule lines', () => {
  it('reads from/to/table/preference', () => {
    const r = parseRuleLine(words('from 192.168.28.0/24 to 192.168.29.0/26 table 1 priority 2'));
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ from: '192.168.28.0/24', to: '192.168.29.0/26', table: '1', preference: 2, family: 'inet' });
  });
  it('warns when no preference is given, as keepalived does', () => {
    expect(codes(parseRuleLine(words('from 10.0.0.0/8 table 5')))).toEqual(['KTS_RULE_NO_PREFERENCE']);
  });
  it('refuses an invalid address such as a truncated prefix', () => {
    const r = parseRuleLine(words('to 192.168.100./24 table 2'));
    expect(codes(r)).toEqual(['KTS_BAD_RULE']);
    expect(r.value).toBeUndefined();
  });
});

describe('tracked, peer and service lines', () => {
  it('reads NAME [weight N [reverse]] with weights in -254..254', () => {
    expect(parseTrackedLine(words('chk weight -20 reverse')).value).toEqual({ name: 'chk', weight: -20, reverse: true });
    expect(parseTrackedLine(words('eth0')).value).toEqual({ name: 'eth0', reverse: false });
    expect(codes(parseTrackedLine(words('chk weight 300')))).toEqual(['KTS_OUT_OF_RANGE']);
    expect(codes(parseTrackedLine(words('chk heavy 3')))).toEqual(['KTS_INVALID_VALUE']);
  });
  it('reads unicast peers with TTL bounds', () => {
    expect(parsePeerLine(words('10.0.0.2 min_ttl 250 max_ttl 255')).value).toEqual({ address: '10.0.0.2', family: 'inet', minTtl: 250, maxTtl: 255 });
    expect(codes(parsePeerLine(words('peer-one')))).toEqual(['KTS_BAD_ADDRESS']);
  });
  it('reads service addresses, ranges and fwmarks', () => {
    expect(parseServiceAddress(words('192.168.200.3-10 80'), 'vsg', { ranges: true }).value).toEqual({ kind: 'address', address: '192.168.200.3', family: 'inet', port: 80, rangeEnd: '10' });
    expect(parseServiceAddress(words('fwmark 7 inet6'), 'vs').value).toEqual({ kind: 'fwmark', fwmark: 7, family: 'inet6' });
    expect(parseServiceAddress(words('group G1'), 'vs', { group: true }).value).toEqual({ kind: 'group', group: 'G1' });
    expect(codes(parseServiceAddress(words('10.0.0.1 http'), 'vs'))).toEqual(['KTS_INVALID_VALUE']);
  });
});

describe('fast paths of the value readers', () => {
  it('reads IPv4 exactly as node:net does', () => {
    const cases = ['10.3.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.04', '1.2.3.4 ', '1234.1.1.1', '', '::1', '1.2.3.x'];
    for (const text of cases) expect([text, parseIp(text)?.family === 'inet']).toEqual([text, isIPv4(text)]);
  });

  it('reads ports and short whole numbers without a regex, refusing what the regex refused', () => {
    expect(['0', '80', '65535', '65536', '123456', '', '8a', '-1', '+1'].map(parsePort)).toEqual([0, 80, 65535, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(['7', '007', '999999999', '1000000000', '1.5', ' 1', ''].map(shortWholeNumber)).toEqual([7, 7, 999999999, -1, -1, -1, -1]);
    expect([parseDecimal('3', 0, 10), parseDecimal('11', 0, 10), parseInteger('3', 0, 10)]).toEqual([
      { ok: true, value: 3 }, { ok: false, reason: "number '11' outside range [0, 10]" }, { ok: true, value: 3 },
    ]);
  });
});
