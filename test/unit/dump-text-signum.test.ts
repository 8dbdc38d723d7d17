// USR1/USR2 text dumps in keepalived's layout, the dump file paths (keywords over /tmp defaults)
// and --signum's numbers: the same as keepalived's for STOP/RELOAD/DATA/STATS (read live from
// Debian's keepalived), SIGPWR for JSON, STATS_CLEAR refused, unknown names refused as keepalived does.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dumpFilePath } from '../../src/daemon/dump-files.js';
import { signalNumberFor } from '../../src/daemon/dump-signals.js';
import { stateDumpText, statsDumpText } from '../../src/daemon/dump-text.js';
import { TrackerLog } from '../../src/daemon/status-trackers.js';
import { instanceStats, runtimeStats } from '../support/runtime-stats-fixtures.js';

describe('text dumps', () => {
  const stats = runtimeStats({ VI_1: instanceStats({ drops: { 'bad-ttl': 2, 'auth-mismatch': 4, truncated: 1 } }) });

  it('stats dump: keepalived\'s sections with our counters folded into them', () => {
    const text = statsDumpText(stats);
    expect(text).toContain('VRRP Instance: VI_1\n  Advertisements:\n    Received: 40\n    Sent: 3\n');
    expect(text).toContain('    Length: 1\n    TTL: 2\n');
    expect(text).toContain('  Authentication Errors:\n    Invalid Type: 0\n    Type Mismatch: 0\n    Failure: 4\n');
    expect(text).toContain('    auth-mismatch: 4\n');
    expect(text).toContain('  Became master: 1\n  Released master: 1\n');
    expect(text).toContain('  Priority Zero:\n    Received: 0\n    Sent: 0\n');
  });

  it('stats dump: an AH replayed sequence number is an authentication failure', () => {
    const text = statsDumpText(runtimeStats({ VI_1: instanceStats({ drops: { 'auth-mismatch': 1, 'ah-replayed-sequence': 6 } }) }));
    expect(text).toContain('  Authentication Errors:\n    Invalid Type: 0\n    Type Mismatch: 0\n    Failure: 7\n');
    expect(text).toContain('    ah-replayed-sequence: 6\n');
  });

  it('state dump: state, priorities with their reason, trackers with since when', () => {
    const log = new TrackerLog();
    log.record('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: false }, Date.UTC(2026, 0, 1, 12, 3, 11));
    const text = stateDumpText(stats, new Map(), (name) => log.of(name), { wallMs: Date.UTC(2026, 0, 1, 12, 4, 0), monotonicMs: 10_000 });
    expect(text).toContain(' VRRP Instance = VI_1\n   State = BACKUP\n');
    expect(text).toContain('   Last transition = 1767269035.000000 (2026-01-01T12:03:55.000Z)\n');
    expect(text).toContain('   Priority reason = 70 (base 100, -30: chk_nginx failing)\n');
    expect(text).toContain('     chk_nginx weight -30 failing since 2026-01-01T12:03:11.000Z\n');
  });
});

describe('dump file paths', () => {
  it('default to keepalived\'s /tmp files and follow the keywords', () => {
    expect(dumpFilePath('state', {})).toBe('/tmp/keepalived.data');
    expect(dumpFilePath('stats', {})).toBe('/tmp/keepalived.stats');
    expect(dumpFilePath('json', {})).toBe('/tmp/keepalived.json');
    expect(dumpFilePath('json', { json_dump_file: '/run/x.json' })).toBe('/run/x.json');
  });
});

describe('--signum', () => {
  it('gives keepalived\'s numbers for the signals Node can handle', () => {
    for (const name of ['STOP', 'RELOAD', 'DATA', 'STATS']) {
      const theirs = spawnSync('keepalived', [`--signum=${name}`], { encoding: 'utf8' });
      expect(theirs.error, "Debian's keepalived is needed (apt-get install keepalived)").toBeUndefined();
      expect(signalNumberFor(name), name).toEqual({ ok: true, number: Number(theirs.stdout.trim()) });
    }
  });

  it('maps JSON to SIGPWR (Node cannot catch keepalived\'s real-time signal) and refuses the rest clearly', () => {
    expect(signalNumberFor('JSON')).toEqual({ ok: true, number: constants.signals.SIGPWR });
    expect(signalNumberFor('STATS_CLEAR')).toMatchObject({ ok: false, error: expect.stringContaining('STATS_CLEAR is not supported') });
    expect(signalNumberFor('TDATA')).toEqual({ ok: false, error: 'Unknown sigfunc TDATA' });
  });
});
