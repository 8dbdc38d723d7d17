// `keepalived-ts lab` with our daemon: on every director with the default example config (the
// README's first command), and with Debian's keepalived as the primary's peer (--peer keepalived):
// every scenario passes and the host is left clean.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLEAN, labLeftovers, runLabCli, settledLeftovers } from './lab-support.js';

const SCENARIO_ROWS = ['election', 'crash', 'link-down', 'stop', 'partition', 'reload', 'preempt'];

function expectEveryScenarioPassed(stdout: string): void {
  for (const scenario of SCENARIO_ROWS) expect(stdout).toMatch(new RegExp(`^${scenario}\\s+1/1\\s+.*ok`, 'm'));
  expect(stdout).toMatch(/^real-server\s+0\s.*skipped: needs a config with a virtual_server/m);
}

describe('keepalived-ts lab with our daemon', () => {
  beforeAll(() => {
    expect(labLeftovers()).toEqual(CLEAN);
  });

  it('--peer keepalived: keepalived on the primary, ours on the backup, every scenario at advert_int 0.1', async () => {
    const run = await runLabCli(['--peer', 'keepalived', '--vrrp-version', '3', '--advert-int', '0.1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('lb1 keepalived prio 150 (primary), lb2 ours prio 100');
    expectEveryScenarioPassed(run.stdout);
    expect(await settledLeftovers()).toEqual(CLEAN);
  });

  it('--peer keepalived with VRRPv2 unicast at advert_int 1: failover both ways', async () => {
    const run = await runLabCli(['--peer', 'keepalived', '--unicast', '--scenario', 'crash,stop,preempt']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/VRRPv2, advert_int 1 s, unicast/);
    for (const scenario of ['crash', 'stop', 'preempt']) expect(run.stdout).toMatch(new RegExp(`^${scenario}\\s+1/1\\s+.*ok`, 'm'));
    expect(await settledLeftovers()).toEqual(CLEAN);
  });

  it('the default run (ours on both directors, conf.examples/master-backup.conf) passes every scenario', async () => {
    const run = await runLabCli([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/conf\.examples\/master-backup\.conf/);
    expect(run.stdout).toContain('lb1 ours prio 150 (primary), lb2 ours prio 100');
    expectEveryScenarioPassed(run.stdout);
    expect(await settledLeftovers()).toEqual(CLEAN);
  }, 300_000);
});
