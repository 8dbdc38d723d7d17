// `convert ipvsadm` round trip on real IPVS: each rules fixture is loaded with ipvsadm-restore,
// saved with `ipvsadm -Sn`, converted (with --checker none, so every real server is up from the
// start), the table flushed with `ipvsadm -C`, and then our checker process, given the converted
// config, must program the same `ipvsadm -Ln` table (tunnel types and ports included, --tun-info).
// Debian's keepalived 2.2.7 (`keepalived -C`) is given the same config in a namespace of its own
// and must agree too. ipvsadm -S does not write thresholds (-x/-y), so the fixture itself is also
// converted and loaded by our checker, and `ipvsadm -Ln --thresholds` must match as well. Each
// fixture runs in network namespaces of its own (every namespace has its own IPVS table).
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
const RESTORABLE = ['save-dr-nat', 'persistence', 'fwmark-ipv6', 'schedulers-flags', 'tunnels-thresholds', 'edits-clear'];
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

/** The table as -Ln shows it, plus its tunnel and threshold views. */
interface Views {
  readonly list: string;
  readonly tunnels: string;
  readonly thresholds: string;
}

const views = (ns: string): Views => ({
  list: table(ns),
  tunnels: inNamespace(ns, 'ipvsadm', ['-Ln', '--tun-info']),
  thresholds: inNamespace(ns, 'ipvsadm', ['-Ln', '--thresholds']),
});

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

async function convertRules(rules: string, name: string): Promise<{ code: number; config: string; stderr: string }> {
  const input = join(work, `${name}.rules`);
  const output = join(work, `${name}.conf`);
  writeFileSync(input, rules);
  const stderr: string[] = [];
  const errors = new PassThrough();
  errors.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const code = await convert({ args: ['ipvsadm', input, '--checker', 'none', '-o', output], options: {}, stdout: new PassThrough(), stderr: errors });
  return { code, config: output, stderr: stderr.join('') };
}

interface RoundTrip {
  readonly original: Views;
  readonly ours: Views;
  readonly keepalived: Views;
  /** Our checker given the fixture converted directly (thresholds survive that way). */
  readonly direct: Views;
  /** Our table after SIGTERM: the checker removes what it programmed (no -I). */
  readonly afterStop: string;
  readonly oursExit: number | null;
  readonly report: string;
}

async function roundTrip(name: string, index: number): Promise<RoundTrip> {
  const ns = namespace(`ktsci-rt${index}`);
  const theirs = namespace(`ktsci-rk${index}`);
  const directNs = namespace(`ktsci-rd${index}`);
  const fixture = readFileSync(join(FIXTURES, `${name}.rules`), 'utf8');
  inNamespace(ns, 'ipvsadm-restore', [], fixture);
  const original = views(ns);
  const saved = inNamespace(ns, 'ipvsadm', ['-Sn']);
  const converted = await convertRules(saved, `${name}-saved`);
  const direct = await convertRules(fixture, `${name}-direct`);
  if (converted.code !== 0 || direct.code !== 0) throw new Error(`convert failed: ${converted.stderr}${direct.stderr}`);
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
  const oursDirect = started('nsenter', [`--net=/run/netns/${directNs}`, process.execPath, CHECK_MAIN, '-f', direct.config]);
  await Promise.all([ns, theirs, directNs].map((where) => tableWhenSettled(where, original.list)));
  const [oursViews, keepalivedViews, directViews] = [views(ns), views(theirs), views(directNs)];
  await Promise.all([stop(ours.child), stop(keepalived.child), stop(oursDirect.child)]);
  const afterStop = table(ns);
  const show = (v: Views) => `${v.list}${v.tunnels}${v.thresholds}`;
  const report = [
    `== ${name}`, '-- saved (ipvsadm -Sn)', saved, '-- converted', readFileSync(converted.config, 'utf8'), converted.stderr,
    '-- original', show(original), '-- ours', show(oursViews), '-- keepalived', show(keepalivedViews), '-- ours, fixture converted directly', show(directViews),
    '-- our log (tail)', ours.log().slice(-2000),
  ].join('\n');
  return { original, ours: oursViews, keepalived: keepalivedViews, direct: directViews, afterStop, oursExit: ours.child.exitCode, report };
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
    expect(result.original.list).toMatch(/^(TCP|UDP|SCTP|FWM)\s/m);
    expect(result.ours.list, result.report).toBe(result.original.list);
    expect(result.ours.tunnels, result.report).toBe(result.original.tunnels);
    expect(result.keepalived.list, result.report).toBe(result.original.list);
    expect(result.keepalived.tunnels, result.report).toBe(result.original.tunnels);
    expect(result.direct, result.report).toEqual(result.original);
    // It was still running when told to stop (no checkers keep nothing else alive) and cleaned up.
    expect(result.oursExit, result.report).toBe(0);
    expect(result.afterStop, result.report).not.toMatch(/^(TCP|UDP|SCTP|FWM)\s/m);
  });
});
