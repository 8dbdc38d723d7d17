// The daemon's operations must-shows on two directors running ours on a bridge, with a client
// pinging the VIP every 10 ms: 50 HUP reloads of an unchanged config and 50 of a config that
// changes only another instance lose no ping, cause no transition of the unchanged instance and
// leave no gap in its adverts on the wire; a broken config is refused with every file:line:col
// diagnostic and the next good one applies; kill -9 of the VRRP child is repaired by the
// supervisor end to end; kill -9 of every process leaves a stale VIP that the next start removes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, readStats, scratchDir, startOurs, vipHolders, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const PREFIX = 'kdo';
const SUBNET = 86;
const VIP_A = `10.${SUBNET}.0.100`;
const VIP_B = `10.${SUBNET}.0.101`;
const VRID_A = 81;
const VRID_B = 82;
const ADVERT_MS = 100;

const count = (text: string, needle: string): number => text.split(needle).length - 1;

/** VI_A (the one that must never notice a reload) and VI_B (the one the reloads change). */
function directorConfig(priority: number, priorityB: number): string {
  return vrrpConfig([
    { name: 'VI_A', vrid: VRID_A, priority, vip: `${VIP_A}/24`, version: 3, advertInt: ADVERT_MS / 1000 },
    { name: 'VI_B', vrid: VRID_B, priority: priorityB, vip: `${VIP_B}/24`, version: 3, advertInt: ADVERT_MS / 1000 },
  ]);
}

/** `ping -i 0.01` from the client; lost = sequence numbers never answered up to the last answered one. */
function startPinger(lab: VrrpLab, address: string): { stop(): Promise<{ sent: number; lost: number[]; longestGapMs: number }> } {
  const child = spawn('ip', ['netns', 'exec', lab.client.namespace, 'ping', '-n', '-D', '-i', '0.01', address], { stdio: ['ignore', 'pipe', 'ignore'] });
  const answered = new Map<number, number>();
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^\[(\d+\.\d+)\].*icmp_seq=(\d+)/.exec(line);
      if (match) answered.set(Number(match[2]), Number(match[1]) * 1000);
    }
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    async stop() {
      child.kill('SIGINT');
      await closed;
      const seqs = [...answered.keys()].sort((a, b) => a - b);
      const last = seqs.at(-1) ?? 0;
      const lost: number[] = [];
      for (let seq = 1; seq <= last; seq++) if (!answered.has(seq)) lost.push(seq);
      const times = [...answered.values()].sort((a, b) => a - b);
      let longestGapMs = 0;
      for (let i = 1; i < times.length; i++) longestGapMs = Math.max(longestGapMs, times[i]! - times[i - 1]!);
      return { sent: last, lost, longestGapMs };
    },
  };
}

/** Adverts of one VRID from one source, timestamped, captured in the client's namespace. */
function startAdvertCapture(lab: VrrpLab): { stop(): Promise<string> } {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', lab.client.namespace, 'tcpdump', '-i', 'eth0', '-nn', '-tt', '-l', 'ip proto 112'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    async stop() {
      await delay(200);
      child.kill('SIGINT');
      await closed;
      return text;
    },
  };
}

function advertTimes(capture: string, source: string, vrid: number): number[] {
  const times: number[] = [];
  for (const line of capture.split('\n')) {
    const match = /^(\d+\.\d+) IP (\S+) > \S+ VRRPv3, Advertisement, vrid (\d+), prio (\d+)/.exec(line);
    if (match && match[2] === source && Number(match[3]) === vrid && Number(match[4]) > 0) times.push(Number(match[1]) * 1000);
  }
  return times;
}

function longestGap(times: readonly number[]): number {
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}

function pidIn(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

describe('daemon operations under load', () => {
  let lab: VrrpLab;
  let master: Director;
  let backup: Director;
  const running: Director[] = [];

  beforeAll(async () => {
    lab = createVrrpLab('rl', SUBNET, 2, PREFIX);
    master = startOurs(lab.directors[0]!, directorConfig(150, 150), scratchDir('kdo-m'));
    backup = startOurs(lab.directors[1]!, directorConfig(100, 100), scratchDir('kdo-b'));
    running.push(master, backup);
    await waitFor(() => vipHolders(lab, VIP_A).join() === '0' && vipHolders(lab, VIP_B).join() === '0', 20_000, 'd0 MASTER of both');
    await waitFor(() => master.log().includes('(VI_A) Entering MASTER STATE') && backup.log().includes('(VI_A) Entering BACKUP STATE'), 5000, 'the state log lines');
  }, 40_000);

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('100 reloads (50 unchanged, 50 changing only VI_B): no lost ping, no VI_A transition, no advert gap', async () => {
    const parentPid = pidIn(join(master.scratch, 'parent.pid'));
    const configFile = join(master.scratch, 'keepalived-ts.conf');
    const transitionsBefore = (await readStats(master)).instances['VI_A']!['transitions'];
    const backupTransitionsBefore = (await readStats(backup)).instances['VI_A']!['transitions'];
    const logLinesBefore = count(master.log(), '(VI_A) Entering') + count(backup.log(), '(VI_A) Entering');
    const pinger = startPinger(lab, VIP_A);
    const capture = startAdvertCapture(lab);
    await delay(500);
    const started = performance.now();
    for (let i = 1; i <= 100; i++) {
      // The first 50 rewrite the same text; the next 50 move VI_B's priority between 150 and 140.
      writeFileSync(configFile, directorConfig(150, i <= 50 ? 150 : i % 2 === 1 ? 140 : 150));
      const done = count(master.log(), 'Reload done');
      process.kill(parentPid, 'SIGHUP');
      await waitFor(() => count(master.log(), 'Reload done') > done, 10_000, `reload ${i}`, 2);
      // Spread over ~10 s, so that the pings and adverts measured span many reloads.
      await delay(100);
    }
    const reloadSeconds = (performance.now() - started) / 1000;
    await delay(1000);
    const [ping, wire] = await Promise.all([pinger.stop(), capture.stop()]);
    const gaps = longestGap(advertTimes(wire, lab.directors[0]!.ipv4, VRID_A));
    console.log(`100 reloads in ${reloadSeconds.toFixed(1)} s; ${ping.sent} pings, lost ${ping.lost.length}, longest reply gap ${ping.longestGapMs.toFixed(1)} ms; ` +
      `VI_A adverts ${advertTimes(wire, lab.directors[0]!.ipv4, VRID_A).length}, longest gap ${gaps.toFixed(1)} ms`);

    expect(count(master.log(), 'Reload done: 2 kept, 0 restarted')).toBe(50);
    expect(count(master.log(), 'Reload done: 1 kept, 1 restarted')).toBe(50);
    expect(ping.sent).toBeGreaterThan(300);
    expect(ping.lost).toEqual([]);
    expect(count(master.log(), '(VI_A) Entering') + count(backup.log(), '(VI_A) Entering')).toBe(logLinesBefore);
    expect((await readStats(master)).instances['VI_A']!['transitions']).toBe(transitionsBefore);
    expect((await readStats(backup)).instances['VI_A']!['transitions']).toBe(backupTransitionsBefore);
    expect(vipHolders(lab, VIP_A)).toEqual([0]);
    expect((await readStats(master)).instances['VI_A']).toMatchObject({ becameMaster: 1, releasedMaster: 0 });
    // The backup declares the master dead after 3 intervals + skew: a gap must stay well below that.
    expect(gaps).toBeLessThan(2.5 * ADVERT_MS);
  }, 90_000);

  it('a broken config is refused with every file:line:col diagnostic; the next good one applies', async () => {
    const parentPid = pidIn(join(master.scratch, 'parent.pid'));
    const configFile = join(master.scratch, 'keepalived-ts.conf');
    const good = directorConfig(150, 150);
    // Two errors in VI_B: an unknown state word, and no virtual_router_id at all.
    const broken = good.replace(`  virtual_router_id ${VRID_B}\n`, '').replace('state BACKUP\n  interface eth0\n  priority', 'state SOMETIMES\n  interface eth0\n  priority');
    writeFileSync(configFile, broken);
    const brokenLines = broken.split('\n');
    const line = (needle: string): number => brokenLines.findIndex((l) => l.includes(needle)) + 1;
    const vipLog = master.log().length;
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => master.log().slice(vipLog).includes('reload refused'), 10_000, 'the refusal');
    const refusal = master.log().slice(vipLog);
    expect(refusal).toMatch(new RegExp(`keepalived-ts\\.conf:${line('state SOMETIMES')}:\\d+: error: state`));
    expect(refusal).toMatch(new RegExp(`keepalived-ts\\.conf:${line('vrrp_instance VI_B')}:\\d+: error: \\(VI_B\\) the virtual router id`));
    await delay(500);
    expect(vipHolders(lab, VIP_A)).toEqual([0]);
    expect(vipHolders(lab, VIP_B)).toEqual([0]);

    // The next good config (VI_B gets a second VIP) is applied.
    writeFileSync(configFile, good.replace(`${VIP_B}/24`, `${VIP_B}/24\n    10.${SUBNET}.0.102/24`));
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => vipHolders(lab, `10.${SUBNET}.0.102`).join() === '0', 10_000, 'the good reload to add the VIP');
    expect(master.log().slice(vipLog)).toContain('Reload done: 1 kept, 1 restarted');
  }, 30_000);

  it('kill -9 of the VRRP child: the supervisor restarts it and d0 is the only VIP holder again', async () => {
    const childPid = pidIn(join(master.scratch, 'vrrp.pid'));
    const pinger = startPinger(lab, VIP_A);
    await delay(300);
    const killedAt = performance.now();
    process.kill(childPid, 'SIGKILL');
    await waitFor(() => /vrrp child process \(\d+\) died: restarting/.test(master.log()), 5000, 'the supervisor to notice');
    await waitFor(() => pidIn(join(master.scratch, 'vrrp.pid')) !== childPid, 10_000, 'a new VRRP child');
    await waitFor(() => count(master.log(), '(VI_A) Entering MASTER STATE') >= 2, 15_000, 'VI_A MASTER again on d0');
    const recoveredS = (performance.now() - killedAt) / 1000;
    await waitFor(() => vipHolders(lab, VIP_A).join() === '0', 5000, 'd1 to give the VIP up');
    await delay(1000);
    const ping = await pinger.stop();
    console.log(`kill -9 VRRP child: MASTER again after ${recoveredS.toFixed(2)} s; ${ping.sent} pings, lost ${ping.lost.length}, longest reply gap ${ping.longestGapMs.toFixed(0)} ms`);
    expect(vipHolders(lab, VIP_A)).toEqual([0]);
    expect(vipHolders(lab, VIP_B)).toEqual([0]);
    expect(pidIn(join(master.scratch, 'parent.pid'))).toBe(master.pids()[0]);
    // d1 took over while d0 had no VRRP process, and gave the VIP back: both counted.
    const backupCounters = (await readStats(backup)).instances['VI_A']!;
    expect(backupCounters['becameMaster']).toBeGreaterThanOrEqual(1);
    expect(backupCounters['releasedMaster']).toBe(backupCounters['becameMaster']);
    // The old child's VIP kept answering until the new child's start; the bound is generous for a loaded host.
    expect(ping.longestGapMs).toBeLessThan(3000);
  }, 40_000);

  it('kill -9 of every process: the next start removes the stale VIPs, d1 does not keep them', async () => {
    await master.crash();
    // The dead run's VIPs stay on d0 (nobody removed them) while d1 takes over: two holders.
    await waitFor(() => vipHolders(lab, VIP_A).join() === '0,1', 5000, 'd1 to take over beside the stale VIP');
    const restarted = startOurs(lab.directors[0]!, readFileSync(join(master.scratch, 'keepalived-ts.conf'), 'utf8'), scratchDir('kdo-m2'));
    running.push(restarted);
    await waitFor(() => restarted.log().includes('removing stale VIP'), 15_000, 'the stale VIP removal');
    expect(restarted.log()).toContain(`(VI_A) removing stale VIP ${VIP_A}`);
    await waitFor(() => vipHolders(lab, VIP_A).join() === '0' && vipHolders(lab, VIP_B).join() === '0', 15_000, 'd0 the only holder again');
    master = restarted;
  }, 40_000);
});
