// Same config, same IPVS table: for every conf.examples file and keepalived sample with virtual
// servers, our checker (runCheckProcess) and Debian's keepalived 2.2.7 (`keepalived -C`) each run in their
// own empty network namespace (each namespace has its own IPVS table; the real servers are
// unreachable there, so every check fails at once), and `ipvsadm -Ln` must show the same table in
// both once the initial checks have settled. Configs keepalived only warns about (vrrp_strict
// conflicts, sync-group members outside group { }) and errors in VRRP sections run in both checkers.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckProcess } from '../../src/daemon/check-process.js';
import { enterNetworkNamespace } from '../../src/sys/interfaces.js';

const SAMPLES = resolve(process.cwd(), '../shared/corpus/keepalived-samples');

interface Case {
  readonly name: string;
  readonly file: string;
  readonly configId?: string;
}

function cases(): Case[] {
  const withVs = (file: string) => /^\s*virtual_server\s/m.test(readFileSync(file, 'utf8'));
  const examples = readdirSync('conf.examples').filter((f) => f.endsWith('.conf')).map((f) => join(process.cwd(), 'conf.examples', f));
  const samples = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((f) => f.startsWith('keepalived.conf')).map((f) => join(SAMPLES, f)) : [];
  return [
    ...examples.filter(withVs).map((file) => ({ name: `conf.examples/${file.split('/').pop()}`, file, configId: 'lb1' })),
    ...samples.filter(withVs).map((file) => ({ name: `samples/${file.split('/').pop()}`, file })),
  ];
}

/**
 * The first check of each checker starts at a random moment within its warmup (delay_loop by
 * default), in both daemons; an unreachable real server fails at once (ENETUNREACH). So the
 * tables settle soon after the longest delay_loop / warmup the config names.
 */
function warmupMs(file: string): number {
  const values = [...readFileSync(file, 'utf8').matchAll(/^\s*(?:delay_loop|warmup)\s+(\d+)/gm)].map((m) => Number(m[1]));
  return Math.max(60 * (values.length === 0 ? 1 : 0), ...values) * 1000;
}
const SETTLE_MARGIN_MS = 3000;
const EXTRA_WAIT_MS = 8000;

async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

const work = mkdtempSync(join(tmpdir(), 'ktslvs-parity-'));
const namespaces: string[] = [];
/** A name for the worker's own namespace, to come back to after opening a checker in another. */
const HOME = 'klf-home';

beforeAll(() => {
  execFileSync('ip', ['netns', 'attach', HOME, String(process.pid)]);
  namespaces.push(HOME);
});

afterAll(() => {
  for (const ns of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
  // Some 45 namespaces to delete, in a guest under TCG on a loaded host.
}, 120_000);

function namespace(name: string): string {
  execFileSync('/bin/sh', ['-ec', `ip netns add ${name}; ip -n ${name} link set lo up`]);
  namespaces.push(name);
  return name;
}

function table(ns: string): string {
  return execFileSync('ip', ['netns', 'exec', ns, 'ipvsadm', '-Ln'], { encoding: 'utf8' });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

interface Outcome {
  readonly name: string;
  readonly ours: string;
  readonly keepalived: string;
  readonly ourLog: string;
}

/**
 * Our checker runs in this worker (one node start instead of one per config, which costs seconds
 * each in the guest), which enters the config's namespace for the whole run: every socket it
 * opens (IPVS netlink, checks) belongs to that namespace. So configs are compared one at a time.
 */
async function compare(testCase: Case, index: number): Promise<Outcome> {
  const ours = namespace(`klf-po${index}`);
  const theirs = namespace(`klf-pk${index}`);
  const id = testCase.configId ? ['-i', testCase.configId] : [];
  const dir = join(work, String(index));
  execFileSync('mkdir', ['-p', dir]);
  let ourLog = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      ourLog += String(chunk);
      done();
    },
  });
  enterNetworkNamespace(ours);
  try {
    return await compareIn(testCase, ours, theirs, id, dir, sink, () => ourLog);
  } finally {
    enterNetworkNamespace(HOME);
  }
}

async function compareIn(testCase: Case, ours: string, theirs: string, id: string[], dir: string, sink: Writable, log: () => string): Promise<Outcome> {
  let ourLog = '';
  const checker = await runCheckProcess({
    configFile: testCase.file,
    ...(testCase.configId === undefined ? {} : { configId: testCase.configId }),
    logger: pino({ base: null }, sink),
  }).catch((error: unknown) => {
    ourLog += `failed to start: ${(error as Error).message}`;
    return undefined;
  });
  const keepalived = spawn('ip', [
    'netns', 'exec', theirs, 'keepalived', '-C', '-n', '-f', testCase.file, ...id,
    '-p', join(dir, 'k.pid'), '-c', join(dir, 'c.pid'), '-r', join(dir, 'v.pid'), '--no-syslog', '-l',
  ], { stdio: 'ignore' });
  await until(() => existsSync(join(dir, 'c.pid')), 30_000);
  await new Promise((r) => setTimeout(r, warmupMs(testCase.file) + SETTLE_MARGIN_MS));
  await until(() => table(ours) === table(theirs), EXTRA_WAIT_MS);
  const outcome = { name: testCase.name, ours: table(ours), keepalived: table(theirs), ourLog: log() + ourLog };
  await Promise.all([checker?.stop(), stop(keepalived)]);
  return outcome;
}

describe('our checker and keepalived 2.2.7 program the same IPVS table', () => {
  it('for every example and sample config with virtual servers', { timeout: 900_000 }, async () => {
    // Shortest warmups first: the one long config (delay_loop 60) then waits alone, in the last batch.
    const all = cases().sort((a, b) => warmupMs(a.file) - warmupMs(b.file));
    expect(all.length).toBeGreaterThan(10);
    const outcomes: Outcome[] = [];
    for (const [index, testCase] of all.entries()) {
      outcomes.push(await compare(testCase, index));
      if (process.env['KTS_PARITY_REPORT']) writeFileSync(process.env['KTS_PARITY_REPORT'], outcomes.map((o) => `${o.name}: ${o.ours === o.keepalived}`).join('\n'));
    }
    const differing = outcomes.filter((o) => o.ours !== o.keepalived);
    const report = outcomes.map((o) => `== ${o.name}: ${o.ours === o.keepalived ? 'same' : 'DIFFERENT'}\n${o.ours === o.keepalived ? o.ours : `-- ours\n${o.ours}\n-- keepalived\n${o.keepalived}\n-- our log (tail)\n${o.ourLog.slice(-1500)}`}`).join('\n');
    writeFileSync(join(tmpdir(), 'ktslvs-parity-report.txt'), report);
    if (process.env['KTS_PARITY_REPORT']) writeFileSync(process.env['KTS_PARITY_REPORT'], report);
    expect(differing.map((o) => o.name), report).toEqual([]);
  });
});
