// The /status document and its one-line rendering: priority adjustments carry their reason and
// since when, transitions their wall-clock time, and the document validates against
// docs/status.schema.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/daemon/status-model.js';
import { formatInstance, formatStatus } from '../../src/daemon/status-format.js';
import { TrackerLog } from '../../src/daemon/status-trackers.js';
import { checkerSnapshot } from '../support/checker-snapshot-fixtures.js';
import { validate, type Schema } from '../support/json-schema-lite.js';
import { instanceStats, runtimeStats as stats } from '../support/runtime-stats-fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../docs/status.schema.json', import.meta.url), 'utf8')) as Schema;

const wall = Date.UTC(2026, 10, 21, 12, 3, 20);
const clock = { wallMs: wall, monotonicMs: 13_000 };

describe('status document', () => {
  const log = new TrackerLog();
  log.record('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: true }, wall - 60_000);
  log.record('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: false }, wall - 9_000);
  log.record('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: false }, wall - 1_000);
  const document = buildStatus(stats({ VI_1: instanceStats() }), (name) => log.of(name), clock, 1234);
  const vi1 = document.instances[0]!;

  it('gives every adjustment its reason and the time the tracker started failing (not its last report)', () => {
    expect(vi1.adjustments).toEqual([{ tracker: 'chk_nginx', amount: -30, reason: 'chk_nginx failing', since: new Date(wall - 9_000).toISOString() }]);
  });

  it('converts the monotonic transition time to wall clock', () => {
    expect(vi1.lastTransition?.at).toBe(new Date(wall - 8_000).toISOString());
    expect(vi1.lastTransition?.reason).toBe('higherPriorityAdvert');
  });

  it('validates against docs/status.schema.json', () => {
    expect(validate(schema, JSON.parse(JSON.stringify(document)))).toEqual([]);
  });

  it('the schema check would catch a wrong shape', () => {
    expect(validate(schema, { ...document, instances: [{ ...vi1, state: 'SLEEPING' }] })).not.toEqual([]);
    expect(validate(schema, { ...document, extra: 1 })).toEqual(['$: unexpected extra']);
  });

  it('prints a line for a person as the issue shows it', () => {
    const t = new Date(wall - 9_000);
    const hhmmss = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    expect(formatInstance(vi1)).toMatch(new RegExp(`^VI_1 BACKUP prio 70 \\(base 100, -30: chk_nginx failing since ${hhmmss}\\) master 10\\.0\\.0\\.2 since `));
  });

  it('carries the checker snapshot: virtual servers, real servers with checks and IPVS counters; it validates', () => {
    const withChecker = buildStatus(stats({ VI_1: instanceStats() }), (name) => log.of(name), clock, 1234, checkerSnapshot());
    expect(withChecker.checker).toMatchObject({ checksRun: 80, checksInFlight: 1, ipvsError: null });
    expect(withChecker.virtualServers[0]!.realServers[0]!.ipvs).toMatchObject({ connections: 12, activeConnections: 1 });
    expect(validate(schema, JSON.parse(JSON.stringify(withChecker)))).toEqual([]);
    const broken = { ...withChecker, virtualServers: [{ ...withChecker.virtualServers[0], realServers: [{ address: '10.0.0.1', healthy: true }] }] };
    expect(validate(schema, broken)).not.toEqual([]);
    expect(document.checker).toBeNull();
  });

  it('prints each virtual server and one line per real server', () => {
    const text = formatStatus(buildStatus(stats({}), () => [], clock, 1, checkerSnapshot()));
    const t = new Date(Date.UTC(2026, 0, 1, 12, 3, 14));
    const hhmmss = [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
    expect(text).toBe([
      'no VRRP instances',
      'TCP:10.0.0.100:80: 1/2 real servers up; TCP 10.0.0.100:80 12 conns, 2 conns/s, 60000 bytes',
      `  10.0.0.1:80 up weight 1, last HTTP_GET ok 3 ms at ${hhmmss}, 40 checks 0 failed, 12 conns (1 active, 11 inactive)`,
      `  10.0.0.2:80 DOWN weight 0 (connection refused), last HTTP_GET failed 0 ms at ${hhmmss}, 40 checks 3 failed`,
      '',
    ].join('\n'));
  });

  it('says prio alone when nothing adjusts it, and faults when there are some', () => {
    const quiet = buildStatus(stats({ VI_2: instanceStats({ state: 'FAULT', effectivePriority: 100, faults: ['chk_db failing'], lastTransition: undefined }) }), () => [], clock, 1);
    expect(formatStatus(quiet)).toBe('VI_2 FAULT prio 100 faults: chk_db failing master 10.0.0.2\n');
  });
});
