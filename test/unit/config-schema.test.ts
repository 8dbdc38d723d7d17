// The keyword tables and the tree checker: coverage of keepalived's keywords, argument reading,
// unknown keywords with suggestions, duplicates, aliases and "parsed, not implemented".
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/config/codes.js';
import { loadConfigText } from '../../src/config/load.js';
import { TABLES, TABLE_BY_NAME, lookupKeyword } from '../../src/config/schema/index.js';
import { ABSENT_IN_KEEPALIVED_227 } from '../../src/config/schema/keepalived-227.js';
import { closestWord, editDistance } from '../../src/config/schema/suggest.js';

const load = (text: string) => loadConfigText(text, '/etc/keepalived/test.conf', { system: null, configId: 'node' });
const codesOf = (text: string) => load(text).diagnostics.map((d) => d.code);
const instance = (body: string) => `vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.0.0.1\n }\n${body}\n}\n`;

describe('keyword tables', () => {
  it('contain every keyword of the keepalived keyword reference', () => {
    const reference = readFileSync(new URL('../../../shared/reference/keepalived-keywords.md', import.meta.url), 'utf8');
    const body = reference.slice(reference.indexOf('## 1. Top-level'), reference.indexOf('## 15.'));
    const mentioned = new Set(
      [...body.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.split(/[\s{(]/)[0]!).filter((w) => /^[A-Za-z_][\w-]*$/.test(w)),
    );
    const known = new Set(TABLES.flatMap((t) => t.keywords.flatMap((k) => [k.name, ...(k.aliases ?? []).map((a) => a.name)])));
    // Words in backquotes that are values, C identifiers or keywords keepalived does not accept.
    const notKeywords = new Set([
      'dev', 'brd', 'label', 'IP', 'ip', 'PREFIX', 'IP-range', 'rr', 'INSTANCE', 'RS', 'GROUP', 'Unknown', 'keepalived_script',
      'IPVS_SVC_PERSISTENT_TIMEOUT', 'vrrp_sync_group_end_handler', 'vrrp_complete_instance', 'rs_weight_handler',
      'install_checker_common_keywords', 'ping_group_range',
      // Not accepted by keepalived (see src/config/schema/removed.ts): documented-only or removed.
      'state_file_location', 'stats_file_location', 'json_file_location', 'dynamic', 'lvs_id',
    ]);
    const missing = [...mentioned].filter((w) => !known.has(w) && !notKeywords.has(w));
    expect(missing).toEqual([]);
    expect(mentioned.size).toBeGreaterThan(300);
  });

  it('name each keyword once per table, aliases included', () => {
    for (const table of TABLES) {
      const names = table.keywords.flatMap((k) => [k.name, ...(k.aliases ?? []).map((a) => a.name)]);
      expect(new Set(names).size, table.name).toBe(names.length);
    }
  });

  it('point nested blocks at tables that exist', () => {
    const names = new Set(TABLES.map((t) => t.name));
    for (const table of TABLES) for (const k of table.keywords) if (k.block) expect(names.has(k.block), `${table.name}.${k.name}`).toBe(true);
  });

  it('list as absent from keepalived 2.2.7 only keywords the tables have', () => {
    for (const [table, names] of Object.entries(ABSENT_IN_KEEPALIVED_227)) {
      for (const name of names) expect(TABLE_BY_NAME.get(table)?.keywords.some((k) => k.name === name), `${table}.${name}`).toBe(true);
    }
  });

  it('resolve aliases to their canonical keyword', () => {
    expect(lookupKeyword('virtual_server', 'lb_algo')?.spec.name).toBe('lvs_sched');
    expect(lookupKeyword('virtual_server', 'lb_kind')?.spec.name).toBe('lvs_method');
    expect(lookupKeyword('HTTP_GET', 'nb_get_retry')).toMatchObject({ spec: { name: 'retry' }, alias: { reported: true } });
    expect(lookupKeyword('root', 'vrrp_track_file')?.spec.name).toBe('track_file');
    expect(lookupKeyword('TCP_CHECK', 'nb_get_retry')).toBeUndefined();
  });

  it('only use codes that are in the registry', () => {
    const { diagnostics } = load('bogus 1\nglobal_defs {\n router_id\n}\n' + instance(' priority 0\n advert_int x\n'));
    for (const d of diagnostics) expect(CODES[d.code], d.code).toBeDefined();
  });
});

describe('suggestions', () => {
  it('measure edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggest the closest keyword and nothing for far-off words', () => {
    expect(closestWord('virtual_routerid', ['virtual_router_id', 'priority'])).toBe('virtual_router_id');
    expect(closestWord('zzzzzz', ['virtual_router_id', 'priority'])).toBeUndefined();
  });
});

describe('tree checker', () => {
  it('reports an unknown keyword with its place and a did-you-mean hint', () => {
    const d = load(instance(' virtual_routerid 52')).diagnostics.find((x) => x.code === 'KTS_UNKNOWN_KEYWORD');
    expect(d).toMatchObject({ severity: 'error', file: '/etc/keepalived/test.conf', line: 7, col: 2, hint: 'did you mean `virtual_router_id`?' });
  });
  it('explains removed keywords instead of guessing', () => {
    const d = load('global_defs {\n lvs_id LVS1\n}\n').diagnostics.find((x) => x.code === 'KTS_UNKNOWN_KEYWORD');
    expect(d?.hint).toMatch(/router_id/);
  });
  it('reports an unknown block once, not a cascade', () => {
    expect(codesOf('global_defs {\n foo {\n  router_id x\n }\n}\n')).toEqual(['KTS_UNKNOWN_KEYWORD']);
  });
  it('reports range, type, missing-argument and boolean errors', () => {
    expect(codesOf(instance(' priority 0'))).toContain('KTS_OUT_OF_RANGE');
    expect(codesOf(instance(' priority high'))).toContain('KTS_INVALID_VALUE');
    expect(codesOf(instance(' priority'))).toContain('KTS_MISSING_ARGUMENT');
    expect(codesOf(instance(' smtp_alert maybe'))).toContain('KTS_INVALID_VALUE');
    expect(codesOf(instance(' state MASTR'))).toContain('KTS_INVALID_VALUE');
    expect(codesOf('global_defs {\n vrrp_garp_interval 0\n}\n')).toEqual(['KTS_OUT_OF_RANGE']);
  });
  it('takes quorum_max 0..65535 as keepalived 2.2.7 does (0: the process must not run)', () => {
    const trackProcess = (max: string) => codesOf(`vrrp_track_process p {\n process foo\n quorum_max ${max}\n}\n`);
    expect(trackProcess('0')).not.toContain('KTS_OUT_OF_RANGE');
    expect(trackProcess('65536')).toContain('KTS_OUT_OF_RANGE');
  });
  it('keeps the default when a value is refused', () => {
    expect(load(instance(' priority 0')).config.vrrpInstances[0]!.priority).toBe(100);
  });
  it('warns about extra arguments that keepalived ignores silently (not an exit-code error)', () => {
    const d = load(instance(' priority 10 20')).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['KTS_EXTRA_ARGUMENTS']);
    expect(CODES['KTS_EXTRA_ARGUMENTS']!.keepalivedReports).toBeUndefined();
  });
  it('warns about a setting given twice and keeps the last', () => {
    const { config, diagnostics } = load(instance(' priority 50\n priority 60'));
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_DUPLICATE_KEYWORD']);
    expect(config.vrrpInstances[0]!.priority).toBe(60);
  });
  it('wants blocks where they belong and refuses them elsewhere', () => {
    expect(codesOf(instance(' virtual_routes'))).toContain('KTS_BLOCK_EXPECTED');
    expect(codesOf(instance(' priority 50 {\n }'))).toContain('KTS_UNEXPECTED_BLOCK');
  });
  it('accepts keywords of later keepalived versions but says 2.2.7 rejects them', () => {
    const { config, diagnostics } = load('global_defs {\n state_dump_file /tmp/state\n}\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_NOT_IN_KEEPALIVED_227']);
    expect(config.global.settings['state_dump_file']).toBe('/tmp/state');
  });
  it('warns on every use of a deprecated keyword, with what to use instead', () => {
    const d = load(instance(' lvs_sync_daemon_interface eth0')).diagnostics.filter((x) => x.code === 'KTS_DEPRECATED');
    expect(d).toEqual([expect.objectContaining({ line: 7, hint: expect.stringContaining('lvs_sync_daemon') })]);
    expect(codesOf('vrrp_track_file F {\n file /tmp/x\n}\n')).toEqual(['KTS_ALIAS']);
  });
  it('reports parsed-but-not-implemented keywords once per keyword', () => {
    const text = instance(' promote_secondaries') + instance(' promote_secondaries').replace('VI_1', 'VI_2').replace('51', '52');
    expect(codesOf(text).filter((c) => c === 'KTS_NOT_IMPLEMENTED')).toHaveLength(1);
  });
  it('accepts silent aliases as info and reported ones as deprecated', () => {
    const vs = (check: string) =>
      `virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n real_server 10.0.0.2 80 {\n ${check}\n }\n}\n`;
    expect(codesOf(vs('TCP_CHECK {\n connect_timeout 3\n }'))).toEqual(['KTS_ALIAS', 'KTS_ALIAS']);
    const { config, diagnostics } = load(vs('HTTP_GET {\n url {\n path /\n status_code 200\n }\n nb_get_retry 3\n }'));
    expect(diagnostics.map((d) => d.code)).toContain('KTS_DEPRECATED');
    expect(config.virtualServers[0]!.realServers[0]!.checkers[0]!.retry).toBe(3);
  });
});
