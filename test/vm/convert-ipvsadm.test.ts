// `convert ipvsadm` round trip on real IPVS: each rules fixture is loaded with ipvsadm-restore,
// saved with `ipvsadm -Sn`, converted (with --checker none, so every real server is up from the
// start), the table flushed with `ipvsadm -C`, and then our checker process, given the converted
// config, must program the same `ipvsadm -Ln` table. Debian's keepalived 2.2.7 (`keepalived -C`)
// is given the same config in a namespace of its own and must agree too. Each fixture runs in
// network namespaces of its own (every namespace has its own IPVS table).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { convert } from '../../src/cli/convert.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHECK_MAIN = join(ROOT, 'dist', 'daemon', 'check-process-main.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ipvsadm');
/** The fixtures ipvsadm-restore accepts as they are (hand-written.rules has lines it refuses on purpose). */
const RESTORABLE = ['save-dr-nat', 'persistence', 'fwmark-ipv6', 'schedulers-flags', 'tunnels-thresholds'];
const SETTLE_LIMIT_MS = 30_000;

const work = mkdtempSync(join(tmpdir(), 'ktsci-vm-'));
const namespaces: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  // Children of a failed test: stop() waits up to 5 s for each.
  await Promise.all(children.map(stop));
  for (const ns of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
}, 30_000);

function namespace(name: string): string {
  execFileSync('/bin/sh', ['-ec', `ip netns add ${name}; ip -n ${name} link set lo up`]);
  namespaces.push(name);
  return name;
}

function inNamespace(ns: string, command: string, args: readonly string[], input?: string): string {
  return execFileSync('ip', ['netns', 'exec', ns, command, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
}

const table = (ns: string) => inNamespace(ns, 'ipvsadm', ['-Ln']);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function started(command: string, args: readonly string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (log += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log += text));
  return { child, log: () => log };
}

/** Polls `ipvsadm -Ln` until it shows `expected` (or the limit passes) and returns the last table. */
async function tableWhenSettled(ns: string, expected: string): Promise<string> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let last = table(ns);
  while (last !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = table(ns);
  }
  return last;
}

async function convertSaved(saved: string, name: string): Promise<{ code: number; config: string; stderr: string }> {
  const input = join(work, `${name}.saved`);
  const output = join(work, `${name}.conf`);
  writeFileSync(input, saved);
  const stderr: string[] = [];
  const errors = new PassThrough();
  errors.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const code = await convert({ args: ['ipvsadm', input, '--checker', 'none', '-o', output], options: {}, stdout: new PassThrough(), stderr: errors });
  return { code, config: output, stderr: stderr.join('') };
}

interface RoundTrip {
  readonly original: string;
  readonly ours: string;
  readonly keepalived: string;
  readonly report: string;
}

async function roundTrip(name: string, index: number): Promise<RoundTrip> {
  const ns = namespace(`ktsci-rt${index}`);
  const theirs = namespace(`ktsci-rk${index}`);
  inNamespace(ns, 'ipvsadm-restore', [], readFileSync(join(FIXTURES, `${name}.rules`), 'utf8'));
  const original = table(ns);
  const saved = inNamespace(ns, 'ipvsadm', ['-Sn']);
  const converted = await convertSaved(saved, name);
  if (converted.code !== 0) throw new Error(`convert failed: ${converted.stderr}`);
  inNamespace(ns, 'ipvsadm', ['-C']);
  const flushed = table(ns);
  if (flushed.split('\n').some((line) => /^(TCP|UDP|SCTP|FWM)\s/.test(line))) throw new Error(`ipvsadm -C left services:\n${flushed}`);

  // nsenter execs the command itself (`ip netns exec` forks and waits), so SIGTERM reaches it.
  const ours = started('nsenter', [`--net=/run/netns/${ns}`, process.execPath, CHECK_MAIN, '-f', converted.config]);
  const pidDir = join(work, `${name}-pids`);
  execFileSync('mkdir', ['-p', pidDir]);
  const keepalived = started('nsenter', [
    `--net=/run/netns/${theirs}`, 'keepalived', '-C', '-n', '-f', converted.config,
    '-p', join(pidDir, 'k.pid'), '-c', join(pidDir, 'c.pid'), '-r', join(pidDir, 'v.pid'), '--no-syslog', '-l',
  ]);
  const [oursTable, keepalivedTable] = await Promise.all([tableWhenSettled(ns, original), tableWhenSettled(theirs, original)]);
  await Promise.all([stop(ours.child), stop(keepalived.child)]);
  const report = [
    `== ${name}`, '-- saved (ipvsadm -Sn)', saved, '-- converted', readFileSync(converted.config, 'utf8'), converted.stderr,
    '-- original', original, '-- ours', oursTable, '-- keepalived', keepalivedTable, '-- our log (tail)', ours.log().slice(-2000),
  ].join('\n');
  return { original, ours: oursTable, keepalived: keepalivedTable, report };
}

describe('convert ipvsadm round trip through real IPVS', () => {
  it('has the checker process and the fixtures', () => {
    expect(existsSync(CHECK_MAIN)).toBe(true);
    for (const name of RESTORABLE) expect(existsSync(join(FIXTURES, `${name}.rules`))).toBe(true);
  });

  it.each(RESTORABLE.map((name, index) => [name, index] as const))('%s: restored, saved, converted, flushed, loaded by our checker: same ipvsadm -Ln', async (name, index) => {
    const result = await roundTrip(name, index);
    // KTS_CONVERT_REPORT_DIR (a folder under /tmp, shared with the host) keeps every step for reading.
    const reportDir = process.env['KTS_CONVERT_REPORT_DIR'];
    if (reportDir) writeFileSync(join(reportDir, `${name}.txt`), result.report);
    expect(result.original).toMatch(/^(TCP|UDP|SCTP|FWM)\s/m);
    expect(result.ours, result.report).toBe(result.original);
    expect(result.keepalived, result.report).toBe(result.original);
  });
});
