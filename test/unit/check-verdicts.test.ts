import { describe, expect, it } from 'vitest';
import { judgeMiscExit } from '../../src/check/misc-exit.js';
import { judgeTrackFileValue } from '../../src/check/file.js';
import { hexDump, genhashReport } from '../../src/check/genhash-report.js';
import { findProgram } from '../../src/check/find-program.js';

describe('MISC_CHECK exit status', () => {
  it('without misc_dynamic: 0 up, anything else down', () => {
    expect(judgeMiscExit(0, null, false)).toEqual({ ok: true, reason: 'exit 0' });
    expect(judgeMiscExit(1, null, false).ok).toBe(false);
    expect(judgeMiscExit(12, null, false).ok).toBe(false);
    expect(judgeMiscExit(null, 'SIGKILL', false)).toEqual({ ok: false, reason: 'killed by SIGKILL' });
  });

  it('with misc_dynamic: 1 down, 2..255 up with weight status - 2', () => {
    expect(judgeMiscExit(1, null, true).ok).toBe(false);
    expect(judgeMiscExit(2, null, true)).toEqual({ ok: true, reason: 'exit 2', weight: 0 });
    expect(judgeMiscExit(255, null, true)).toEqual({ ok: true, reason: 'exit 255', weight: 253 });
    expect(judgeMiscExit(0, null, true)).toEqual({ ok: true, reason: 'exit 0' });
  });
});

describe('FILE_CHECK value', () => {
  it('weight 0: non-zero is down', () => {
    expect(judgeTrackFileValue('0\n', { weight: 0 }).ok).toBe(true);
    expect(judgeTrackFileValue('3\n', { weight: 0 }).ok).toBe(false);
  });

  it('otherwise value x weight (reversed) adjusts the weight when dynamic', () => {
    expect(judgeTrackFileValue('5', { weight: 2, dynamic: true })).toEqual({ ok: true, reason: 'value 5', weightDelta: 10 });
    expect(judgeTrackFileValue('5', { weight: 2, reverse: true, dynamic: true }).weightDelta).toBe(-10);
    expect(judgeTrackFileValue('5', { weight: 2 }).weightDelta).toBeUndefined();
    expect(judgeTrackFileValue('garbage', { dynamic: true }).weightDelta).toBe(0);
    expect(judgeTrackFileValue('-2147483648', { weight: 1 }).ok).toBe(false);
  });
});

describe('genhash output', () => {
  it('hex dump lines: decimal offset, 8 + 8 bytes, ASCII column padded to 16', () => {
    expect(hexDump(Buffer.from('hello world'))).toBe('0000  68 65 6c 6c 6f 20 77 6f - 72 6c 64                  hello world     \n');
    expect(hexDump(Buffer.alloc(17)).split('\n')[1]).toMatch(/^0016  00 /);
  });

  it('plain mode prints only the digest', () => {
    const report = { path: '/', header: Buffer.from('HTTP/1.0 200 OK\r\n\r\n'), body: Buffer.from('x'), digest: Buffer.alloc(16, 0xab), elapsedUs: 10 };
    expect(genhashReport(report, false)).toBe(`${'ab'.repeat(16)}\n`);
    expect(genhashReport(report, true)).toContain('[ HTML hash final resulting ]');
    expect(genhashReport(report, true).endsWith('Global response time for [/] = 10 usecs\n')).toBe(true);
  });
});

describe('MISC_CHECK program lookup', () => {
  it('finds bare names in PATH and takes paths as given', () => {
    expect(findProgram('sh', '/nonexistent:/bin')).toBe('/bin/sh');
    expect(findProgram('exit', '/usr/bin:/bin')).toBeUndefined();
    expect(findProgram('/bin/sh')).toBe('/bin/sh');
  });
});
