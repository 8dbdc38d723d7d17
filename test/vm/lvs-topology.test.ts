// LVS-NAT and LVS-DR with real traffic through real IPVS: our checker process (spawned as the
// supervisor would) health-checks three node:http real servers in namespaces and programs the
// guest's IPVS table; a client in its own namespace sends requests to the VIP.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IpvsClient } from '../../src/ipvs/client.js';
import type { ServiceEntry } from '../../src/ipvs/types.js';
import { HttpBackend, VIP, buildLab, clientRequests, destroyLab, realServerAddress, tally, type LabMode } from './support/lvs-lab.js';

const CHECK_MAIN = join(process.cwd(), 'dist/daemon/check-process-main.js');
const DAEMON = join(process.cwd(), 'bin/keepalived-ts');
const FOREIGN = '10.99.0.1';
// delay_loop 1 + retry 1 x delay_before_retry 1, plus the check's own time and the guest's slowness.
const REMOVAL_BOUND_MS = 2000 + 2500;
// Starting node (supervisor, then the checker child) takes 20 s and more under TCG on a loaded host.
const STARTUP_BOUND_MS = 90_000;

let client: IpvsClient;
let work: string;
/** The running checker's output, shown when a wait times out. */
let checkerLog = () => '';

beforeAll(async () => {
  if (!existsSync(CHECK_MAIN)) throw new Error(`${CHECK_MAIN} is missing: run npm run build:ts on the host first`);
  client = await IpvsClient.open();
  work = mkdtempSync(join(tmpdir(), 'ktslvs-'));
});

afterAll(() => {
  client?.close();
  destroyLab();
  rmSync(work, { recursive: true, force: true });
});

function ourService(table: readonly ServiceEntry[]): ServiceEntry | undefined {
  return table.find((e) => e.service.address === VIP && e.service.port === 80);
}

async function destinations(): Promise<Record<string, number>> {
  const entry = ourService(await client.table());
  return Object.fromEntries((entry?.destinations ?? []).map((d) => [`${d.address}:${d.port}`, d.weight]));
}

async function waitFor(what: string, predicate: (d: Record<string, number>) => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const current = await destinations();
    if (predicate(current)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}; table: ${JSON.stringify(current)}; checker log:\n${checkerLog().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Checker {
  readonly child: ChildProcess;
  readonly log: () => string;
}

/** The checker child alone, or (`daemon`) the whole daemon with -C: supervisor + checker child. */
function startChecker(conf: string, daemon = false): Checker {
  const args = daemon
    ? [DAEMON, '-n', '-C', '-f', conf, '-p', join(work, 'parent.pid'), '-c', join(work, 'checkers.pid'), '-r', join(work, 'vrrp.pid')]
    : [CHECK_MAIN, '-f', conf];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (log += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log += text));
  checkerLog = () => log;
  return { child, log: () => log };
}

/** The log comes through a pipe: a line may arrive after the kernel already shows its change. */
async function logArrived(checker: Checker, text: string, from = 0): Promise<void> {
  for (let waited = 0; !checker.log().slice(from).includes(text) && waited < 5000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChecker(checker: Checker | undefined): Promise<number | null> {
  if (!checker || checker.child.exitCode !== null) return checker?.child.exitCode ?? null;
  const exited = once(checker.child, 'exit');
  checker.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

function script(name: string): string {
  const path = join(work, name);
  writeFileSync(path, `#!/bin/sh\necho ran >> ${path}.out\n`, { mode: 0o755 });
  return path;
}

/** A notify script that records the arguments it was given, one run per line. */
function recordingScript(name: string): string {
  const path = join(work, name);
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${path}.out\n`, { mode: 0o755 });
  return path;
}

const check = (port: number) => `HTTP_GET {\n url {\n path /\n status_code 200\n }\n connect_timeout 1\n retry 1\n delay_before_retry 1\n connect_port ${port}\n }`;

function lab(mode: LabMode): { backends: HttpBackend[]; cleanup: () => Promise<void> } {
  const backends = [1, 2, 3].map((n) => new HttpBackend(`ktslvs-r${n}`, mode === 'NAT' ? 8080 : 80, `r${n}`));
  return { backends, cleanup: async () => void (await Promise.all(backends.map((b) => b.stop()))) };
}

describe('LVS-NAT through `keepalived-ts -n -C`: wrr with quorum, sorry server, quorum and real_server notify scripts', () => {
  const { backends, cleanup } = lab('NAT');
  const sorry = new HttpBackend('ktslvs-r1', 8099, 'sorry');
  let checker: Checker | undefined;

  afterEach(async () => {
    await stopChecker(checker);
    await cleanup();
    await sorry.stop();
  });

  it('balances per weight, removes a dead server in time, brings it back, and falls back to the sorry server on quorum loss', async () => {
    buildLab('NAT');
    await Promise.all([...backends.map((b) => b.start()), sorry.start()]);
    const quorumDown = script('quorum-down');
    const quorumUp = script('quorum-up');
    // real_server notify_up / notify_down run as written: keepalived appends no arguments of its own.
    const notify = recordingScript('notify-r2');
    const notifyLines = (n: number) => (n === 2 ? `\n  notify_down "${notify} r2 DOWN"\n  notify_up "${notify} r2 UP"` : '');
    const conf = join(work, 'nat.conf');
    writeFileSync(conf, `global_defs {
  enable_script_security
  script_user root
}
virtual_server ${VIP} 80 {
  delay_loop 1
  lb_algo wrr
  lb_kind NAT
  protocol TCP
  quorum 4
  quorum_up ${quorumUp}
  quorum_down ${quorumDown}
  sorry_server ${realServerAddress(1)} 8099
${[3, 2, 1].map((weight, i) => `  real_server ${realServerAddress(i + 1)} 8080 {\n  weight ${weight}${notifyLines(i + 1)}\n  ${check(8080)}\n  }`).join('\n')}
}
`);
    await client.addService({ family: 'inet', protocol: 'tcp', address: FOREIGN, port: 80, scheduler: 'rr', persistence: null, netmask: 32, persistenceEngine: null, onePacket: false, schedulerFlags: [] });
    try {
      checker = startChecker(conf, true);
      const r = (n: number) => `${realServerAddress(n)}:8080`;
      await waitFor('three real servers', (d) => d[r(1)] === 3 && d[r(2)] === 2 && d[r(3)] === 1 && Object.keys(d).length === 3, STARTUP_BOUND_MS);

      const counts = tally(clientRequests(60));
      expect(counts['FAIL']).toBeUndefined();
      expect(counts).toEqual({ r1: 30, r2: 20, r3: 10 });

      await backends[1]!.stop();
      const removedAfter = await waitFor('r2 removed', (d) => d[r(2)] === undefined, 10_000);
      expect(removedAfter).toBeLessThanOrEqual(REMOVAL_BOUND_MS);
      await logArrived(checker, 'Removing service');
      expect(checker.log()).toContain(`Removing service [${realServerAddress(2)}]:tcp:8080 from VS [${VIP}]:tcp:80`);
      const afterRemoval = tally(clientRequests(20));
      expect(afterRemoval['FAIL']).toBeUndefined();
      expect(Object.keys(afterRemoval).sort()).toEqual(['r1', 'r3']);
      await waitFor('notify_down ran', () => existsSync(`${notify}.out`), 5_000);
      expect(readFileSync(`${notify}.out`, 'utf8')).toBe('r2 DOWN\n');

      await backends[1]!.start();
      await waitFor('r2 back', (d) => d[r(2)] === 2, 5_000);
      await waitFor('notify_up ran', () => readFileSync(`${notify}.out`, 'utf8').includes('UP'), 5_000);

      await backends[0]!.stop(); // alive weight 2 + 1 = 3 < quorum 4
      await waitFor('sorry server only', (d) => JSON.stringify(d) === JSON.stringify({ [`${realServerAddress(1)}:8099`]: 1 }), 10_000);
      await waitFor('quorum_down ran', () => existsSync(`${quorumDown}.out`), 5_000);
      expect(tally(clientRequests(5))).toEqual({ sorry: 5 });

      await backends[0]!.start();
      await waitFor('real servers back after quorum', (d) => d[r(1)] === 3 && d[r(2)] === 2 && d[r(3)] === 1 && Object.keys(d).length === 3, 10_000);
      expect(readFileSync(`${quorumUp}.out`, 'utf8')).toBe('ran\n');
      // r2 stayed up through the quorum loss (r1 went down): its scripts ran once each.
      expect(readFileSync(`${notify}.out`, 'utf8')).toBe('r2 DOWN\nr2 UP\n');

      expect(await stopChecker(checker)).toBe(0);
      const table = await client.table();
      expect(ourService(table)).toBeUndefined();
      expect(table.some((e) => e.service.address === FOREIGN)).toBe(true);
    } finally {
      await client.deleteService({ family: 'inet', protocol: 'tcp', address: FOREIGN, port: 80 }).catch(() => undefined);
    }
  });
});

describe('LVS-DR: rr with inhibit_on_failure', () => {
  const { backends, cleanup } = lab('DR');
  let checker: Checker | undefined;

  afterEach(async () => {
    await stopChecker(checker);
    await cleanup();
  });

  it('keeps a dead server at weight 0, serves every request from the others, restores its weight, and reloads with the minimal change', async () => {
    buildLab('DR');
    await Promise.all(backends.map((b) => b.start()));
    const conf = join(work, 'dr.conf');
    writeFileSync(conf, `virtual_server ${VIP} 80 {
  delay_loop 1
  lb_algo rr
  lb_kind DR
  protocol TCP
  inhibit_on_failure
${[1, 2, 3].map((n) => `  real_server ${realServerAddress(n)} 80 {\n  weight 1\n  ${check(80)}\n  }`).join('\n')}
}
`);
    checker = startChecker(conf);
    const r = (n: number) => `${realServerAddress(n)}:80`;
    await waitFor('three real servers', (d) => d[r(1)] === 1 && d[r(2)] === 1 && d[r(3)] === 1, STARTUP_BOUND_MS);
    const entry = ourService(await client.table());
    expect(entry?.destinations.every((d) => d.forwarding === 'route')).toBe(true);

    expect(tally(clientRequests(30))).toEqual({ r1: 10, r2: 10, r3: 10 });

    await backends[2]!.stop();
    const inhibitedAfter = await waitFor('r3 at weight 0', (d) => d[r(3)] === 0, 10_000);
    expect(inhibitedAfter).toBeLessThanOrEqual(REMOVAL_BOUND_MS);
    const answers = tally(clientRequests(20));
    expect(answers['FAIL']).toBeUndefined();
    expect(Object.keys(answers).sort()).toEqual(['r1', 'r2']);

    await backends[2]!.start();
    await waitFor('r3 back at weight 1', (d) => d[r(3)] === 1, 5_000);

    // SIGHUP with a new weight for r3 and another scheduler: only those two change in the kernel.
    const before = checker.log().length;
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('lb_algo rr', 'lb_algo wrr').replace(/(real_server 10\.72\.0\.13 80 \{\n {2}weight )1/, '$13'));
    checker.child.kill('SIGHUP');
    await waitFor('r3 at weight 3 after reload', (d) => d[r(3)] === 3 && d[r(1)] === 1 && d[r(2)] === 1, 10_000);
    await logArrived(checker, 'Reload done', before);
    const reloadLog = checker.log().slice(before);
    expect(reloadLog).toContain(`Updating virtual server [${VIP}]:tcp:80`);
    expect(reloadLog).toContain(`Setting weight 3 for service [${realServerAddress(3)}]:tcp:80`);
    expect(reloadLog).not.toMatch(/Removing|Adding/);
    expect(ourService(await client.table())?.service.scheduler).toBe('wrr');

    expect(await stopChecker(checker)).toBe(0);
    expect(ourService(await client.table())).toBeUndefined();
  });
});
