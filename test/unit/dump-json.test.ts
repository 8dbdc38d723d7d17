// The JSON dump against the one Debian's keepalived 2.2.7 wrote for the same config
// (test/fixtures/daemon-ops/: keepalived.conf, keepalived-2.2.7.json, captured with SIGRTMIN+2
// while the instance was MASTER with chk_fail failing): every field we write has keepalived's
// name and JSON type, the values that come from the config are equal, and the dump validates
// against docs/keepalived-json.schema.json.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { keepalivedJsonDump } from '../../src/daemon/dump-json.js';
import { instanceDefinitions } from '../../src/vrrp/instance-config.js';
import { validate, type Schema } from '../support/json-schema-lite.js';
import { instanceStats, runtimeStats } from '../support/runtime-stats-fixtures.js';

const fixtures = new URL('../fixtures/daemon-ops/', import.meta.url);
type Entry = { data: Record<string, unknown>; stats: Record<string, unknown> };
const theirs = (JSON.parse(readFileSync(new URL('keepalived-2.2.7.json', fixtures), 'utf8')) as Entry[])[0]!;
const schema = JSON.parse(readFileSync(new URL('../../docs/keepalived-json.schema.json', import.meta.url), 'utf8')) as Schema;

// system: null: the fixture's interface (ktsdo0) only existed in the namespace of the capture.
const loaded = loadConfig(fileURLToPath(new URL('keepalived.conf', fixtures)), { system: null });
const definitions = new Map(instanceDefinitions(loaded.config).map((d) => [d.config.name, d]));
const clock = { wallMs: 1_795_247_998_355, monotonicMs: 10_000 };
const ours = JSON.parse(JSON.stringify(keepalivedJsonDump(
  runtimeStats({ VI_1: instanceStats({ state: 'MASTER', vrid: 51, interfaceName: 'ktsdo0', basePriority: 100, effectivePriority: 70, advertsReceived: 0, advertsSent: 2, becameMaster: 1, releasedMaster: 0, drops: {}, lastTransition: { from: 'BACKUP', to: 'MASTER', reason: 'masterDownTimerExpired', detail: '', at: 10_000 } }) }),
  definitions,
  clock,
))) as Entry[];
const our = ours[0]!;

const jsonType = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

describe('JSON dump in keepalived 2.2.7 shape', () => {
  it('uses only field names keepalived writes, with the same JSON types', () => {
    for (const part of ['data', 'stats'] as const) {
      for (const [key, value] of Object.entries(our[part])) {
        expect(Object.keys(theirs[part]), `${part}.${key}`).toContain(key);
        expect(jsonType(value), `${part}.${key}`).toBe(jsonType(theirs[part][key]));
      }
    }
  });

  it('writes the same values as keepalived for what comes from the config and the state', () => {
    const same = ['iname', 'vmac_ifname', 'ifp_ifname', 'vrid', 'base_priority', 'effective_priority', 'state', 'vipset', 'vips', 'version', 'adver_int',
      'nopreempt', 'preempt_delay', 'auth_type', 'garp_delay', 'garp_refresh', 'garp_rep', 'garp_refresh_rep',
      'lower_prio_no_advert', 'higher_prio_send_advert'];
    // garp_lower_prio_delay/_rep are left out: keepalived defaults them to garp_master_delay/_repeat
    // (5, 5 in the fixture) where instance-config.ts defaults them to 0 (reported, not ours to change).
    for (const key of same) expect(our.data[key], key).toEqual(theirs.data[key]);
    expect(our.data['last_transition']).toBeCloseTo(theirs.data['last_transition'] as number, 3);
    for (const key of ['advert_rcvd', 'advert_sent', 'packet_len_err', 'ip_ttl_err', 'addr_list_err', 'auth_failure', 'become_master', 'release_master', 'pri_zero_rcvd', 'pri_zero_sent']) expect(our.stats[key], key).toEqual(theirs.stats[key]);
  });

  it('auth_failure counts AH replayed sequence numbers as well as wrong passwords/ICVs, as keepalived does', () => {
    const dumped = keepalivedJsonDump(
      runtimeStats({ VI_1: instanceStats({ vrid: 51, interfaceName: 'ktsdo0', drops: { 'auth-mismatch': 2, 'ah-replayed-sequence': 3, 'bad-ttl': 1 } }) }),
      definitions,
      clock,
    );
    expect(dumped[0]!.stats['auth_failure']).toBe(5);
    expect(dumped[0]!.stats['ip_ttl_err']).toBe(1);
  });

  it('covers most of keepalived\'s per-instance fields', () => {
    expect(Object.keys(our.data).length).toBeGreaterThanOrEqual(22);
  });

  it('validates against docs/keepalived-json.schema.json', () => {
    expect(validate(schema, ours)).toEqual([]);
    expect(validate(schema, [{ data: { ...our.data, state: 'MASTER' }, stats: our.stats }])).not.toEqual([]);
  });
});
