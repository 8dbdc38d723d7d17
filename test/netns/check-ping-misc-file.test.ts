// PING_CHECK (raw ICMP/ICMPv6 sockets), MISC_CHECK (real child processes) and FILE_CHECK
// (a real file) in a throwaway namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPing } from '../../src/check/ping.js';
import { checkMisc } from '../../src/check/misc.js';
import { checkFile } from '../../src/check/file.js';
import { splitCommandLine } from '../../src/common/script-command.js';
import type { RealServerTarget } from '../../src/check/types.js';
import { enterTestNamespace, type TestNamespace } from '../support/servers/namespace.js';

const signal = new AbortController().signal;
const target = (address: string): RealServerTarget => ({ id: address, address, port: 0 });
let ns: TestNamespace;
let dir: string;

beforeAll(() => {
  ns = enterTestNamespace('ktsck-icmp');
  ns.ip('link', 'add', 'ktsck-ia', 'type', 'veth', 'peer', 'name', 'ktsck-ib');
  ns.ip('addr', 'add', '10.78.0.1/24', 'dev', 'ktsck-ia');
  ns.ip('-6', 'addr', 'add', 'fd00:78::1/64', 'dev', 'ktsck-ia', 'nodad');
  ns.ip('link', 'set', 'ktsck-ia', 'up');
  ns.ip('link', 'set', 'ktsck-ib', 'up');
  dir = mkdtempSync(join(tmpdir(), 'ktsck-misc-'));
  chmodSync(dir, 0o777);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  ns?.dispose();
});

describe('PING_CHECK', () => {
  it('127.0.0.1 and ::1 answer: up', async () => {
    expect(await checkPing({ kind: 'PING_CHECK', connectTimeoutMs: 1000 }, target('127.0.0.1'), signal)).toMatchObject({ ok: true, reason: 'echo reply' });
    expect(await checkPing({ kind: 'PING_CHECK', connectTimeoutMs: 1000 }, target('::1'), signal)).toMatchObject({ ok: true, reason: 'echo reply' });
  });

  it('an unused address on a link is down at connect_timeout', async () => {
    const v4 = await checkPing({ kind: 'PING_CHECK', connectTimeoutMs: 400 }, target('10.78.0.2'), signal);
    expect(v4).toMatchObject({ ok: false, reason: 'timeout after 400 ms' });
    const v6 = await checkPing({ kind: 'PING_CHECK', connectTimeoutMs: 400 }, target('fd00:78::2'), signal);
    expect(v6.ok).toBe(false);
  });

  it('many pings in flight each get their own reply', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => checkPing({ kind: 'PING_CHECK', connectTimeoutMs: 1000 }, target('127.0.0.1'), signal)));
    expect(results.every((r) => r.ok)).toBe(true);
  });
});

describe('MISC_CHECK', () => {
  // misc_path as keepalived splits it (common/script-command): single quotes group, no shell.
  const misc = (line: string, extra = {}) => {
    const split = splitCommandLine(line);
    if (!split.ok) throw new Error(split.message);
    return { kind: 'MISC_CHECK', argv: split.argv, timeoutMs: 2000, ...extra } as const;
  };

  it('exit 0 is up, 1 down; other codes down without misc_dynamic, weight code - 2 with it', async () => {
    expect(await checkMisc(misc('true'), target('x'), signal)).toMatchObject({ ok: true });
    expect(await checkMisc(misc('false'), target('x'), signal)).toMatchObject({ ok: false, reason: 'exit 1' });
    expect(await checkMisc(misc("/bin/sh -c 'exit 12'"), target('x'), signal)).toMatchObject({ ok: false, reason: 'exit 12' });
    expect(await checkMisc(misc("/bin/sh -c 'exit 12'", { dynamic: true }), target('x'), signal)).toMatchObject({ ok: true, weight: 10 });
    expect(await checkMisc(misc('false', { dynamic: true }), target('x'), signal)).toMatchObject({ ok: false });
  });

  it('runs the program itself, not a shell, as keepalived 2.2.7 does', async () => {
    // Shell syntax is passed to test(1) as words: "1 = 1 && true" is a syntax error there (exit 2).
    expect(await checkMisc(misc('test 1 = 1 && true'), target('x'), signal)).toMatchObject({ ok: false, reason: 'exit 2' });
    expect((await checkMisc(misc(`test 'a b' = 'a b'`), target('x'), signal)).ok).toBe(true);
    expect((await checkMisc(misc('exit 0'), target('x'), signal)).reason).toMatch(/ENOENT/);
  });

  it('past misc_timeout the check is down and the whole process group is killed', async () => {
    const pidFile = join(dir, 'background.pid');
    const started = performance.now();
    const result = await checkMisc(misc(`/bin/sh -c 'sleep 30 & echo $! > ${pidFile}; sleep 30'`, { timeoutMs: 300 }), target('x'), signal);
    expect(result).toMatchObject({ ok: false, reason: 'misc_timeout (300 ms) expired' });
    expect(performance.now() - started).toBeLessThan(1000);
    const background = readFileSync(pidFile, 'utf8').trim();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const state = existsSync(`/proc/${background}/stat`) ? readFileSync(`/proc/${background}/stat`, 'utf8').split(' ')[2] : 'gone';
    expect(['gone', 'Z']).toContain(state);
  });

  it('does not block the event loop while the script runs', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    await checkMisc(misc('sleep 0.3'), target('x'), signal);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('runs as script_user (uid/gid)', async () => {
    const out = join(dir, 'id.txt');
    const result = await checkMisc(misc(`/bin/sh -c 'id -u > ${out}; id -g >> ${out}'`, { uid: 65534, gid: 65534 }), target('x'), signal);
    expect(result.ok).toBe(true);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual(['65534', '65534']);
  });
});

describe('FILE_CHECK', () => {
  it('follows the tracked file: weight 0 means non-zero is down; dynamic reports value x weight', async () => {
    const file = join(dir, 'track');
    writeFileSync(file, '0\n');
    expect((await checkFile({ kind: 'FILE_CHECK', path: file, weight: 0 }, target('x'), signal)).ok).toBe(true);
    writeFileSync(file, '7\n');
    expect((await checkFile({ kind: 'FILE_CHECK', path: file, weight: 0 }, target('x'), signal)).ok).toBe(false);
    expect(await checkFile({ kind: 'FILE_CHECK', path: file, weight: -2, dynamic: true }, target('x'), signal)).toMatchObject({ ok: true, weightDelta: -14 });
    expect((await checkFile({ kind: 'FILE_CHECK', path: join(dir, 'missing') }, target('x'), signal)).reason).toMatch(/ENOENT/);
  });
});
