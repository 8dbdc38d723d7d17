// `keepalived-ts lab` end to end with Debian's keepalived on every director: every scenario runs
// and passes, and the host is left clean after a normal run, a failed scenario, SIGINT, SIGTERM,
// and --keep followed by --down.
import { describe, expect, it, beforeAll } from 'vitest';
import { CLEAN, labLeftovers, runLabCli, settledLeftovers } from './lab-support.js';

const FAST = ['--impl', 'keepalived', '--vrrp-version', '3', '--advert-int', '0.1'];
const SCENARIO_ROWS = ['election', 'crash', 'link-down', 'stop', 'partition', 'reload', 'preempt'];

describe('keepalived-ts lab with keepalived on every director', () => {
  beforeAll(() => {
    // A crashed earlier run must not be mistaken for a leftover of these tests.
    expect(labLeftovers()).toEqual(CLEAN);
  });

  it('runs every scenario at advert_int 0.1, prints the table and leaves the host clean', async () => {
    const run = await runLabCli(FAST);
    expect(run.stderr).toMatch(/lab \w+: building 2 directors/);
    expect(run.code, run.stderr).toBe(0);
    for (const scenario of SCENARIO_ROWS) expect(run.stdout).toMatch(new RegExp(`^${scenario}\\s+1/1\\s+.*ok`, 'm'));
    expect(run.stdout).toMatch(/^real-server\s+0\s.*skipped: needs a config with a virtual_server/m);
    // The backup takes over after about one master-down interval (0.361 s) after a crash.
    const crash = /^crash\s+1\/1\s+(\d+\.\d+) s/m.exec(run.stdout);
    expect(Number(crash?.[1])).toBeGreaterThan(0.2);
    expect(Number(crash?.[1])).toBeLessThan(1.5);
    expect(await settledLeftovers()).toEqual(CLEAN);
  });

  it('runs the default example config (advert_int 1) and reports JSON medians', async () => {
    const run = await runLabCli(['--impl', 'keepalived', '--scenario', 'stop,preempt', '--repeat', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.config).toMatch(/conf\.examples\/master-backup\.conf$/);
    expect(report.directors.map((d: { id: string }) => d.id)).toEqual(['lb1', 'lb2']);
    const stop = report.results.find((r: { scenario: string }) => r.scenario === 'stop');
    expect(stop.runs).toHaveLength(2);
    // SIGTERM sends priority 0: the backup waits only its skew ((256-100)/256 s), not 3 intervals.
    for (const runOnce of stop.runs) expect(runOnce.vipSeconds).toBeLessThan(1.5);
    expect(await settledLeftovers()).toEqual(CLEAN);
  });

  it('a failing scenario fails the run, the others still run, and the host is clean', async () => {
    const run = await runLabCli([...FAST, '--scenario', 'crash,stop', '--test-fail-scenario', 'crash']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^crash\s+0\/1\s.*FAILED: forced failure/m);
    expect(run.stdout).toMatch(/^stop\s+1\/1\s.*ok/m);
    expect(await settledLeftovers()).toEqual(CLEAN);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-scenario stops the run and leaves the host clean`, async () => {
      const run = await runLabCli([...FAST, '--scenario', 'crash,stop'], { signal, when: /^crash 1\/1: kill/m });
      expect(run.code).toBe(130);
      expect(run.stderr).toContain(`${signal}: stopping and removing the lab`);
      expect(run.stdout).toContain(`Run ended early: interrupted by ${signal}`);
      expect(await settledLeftovers()).toEqual(CLEAN);
    });
  }

  it('--keep leaves the lab up for poking around; --down removes all of it', async () => {
    const run = await runLabCli([...FAST, '--scenario', 'stop', '--keep']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Tear it down with: keepalived-ts lab --down');
    const kept = labLeftovers();
    expect(kept.namespaces.length).toBe(6);
    expect(kept.processes.some((p) => p.includes('keepalived'))).toBe(true);
    const down = await runLabCli(['--down']);
    expect(down.stdout).toMatch(/removed 6 namespaces, \d+ processes, 1 temp dirs/);
    expect(await settledLeftovers()).toEqual(CLEAN);
  });
});
