// Operating the daemon: HUP applies a changed config (only changed instances restart; a broken one
// is refused and the old keeps running), -V keeps the VIPs on stop, without -n it detaches and
// returns 0 once its pid file is written, and what it cannot run yet exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN, createVrrpLab, delay, hasAddress, scratchDir, startOurs, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const count = (text: string, needle: string): number => text.split(needle).length - 1;

describe('daemon operations', () => {
  let lab: VrrpLab;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('op', 67, 1);
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('HUP restarts only the changed instance and refuses a broken config', async () => {
    const host = lab.directors[0]!;
    const instances = (vipB: string) => vrrpConfig([
      { name: 'VI_A', vrid: 71, priority: 150, vip: '10.67.0.171/24', version: 3, advertInt: 0.1 },
      { name: 'VI_B', vrid: 72, priority: 150, vip: `${vipB}/24`, version: 3, advertInt: 0.1 },
    ]);
    const scratch = scratchDir('op');
    const daemon = startOurs(host, instances('10.67.0.172'), scratch);
    running.push(daemon);
    await waitFor(() => hasAddress(host.namespace, '10.67.0.171') && hasAddress(host.namespace, '10.67.0.172'), 15_000, 'both instances MASTER');
    await waitFor(() => daemon.log().includes('(VI_A) Entering MASTER STATE') && daemon.log().includes('(VI_B) Entering MASTER STATE'), 5000, 'the MASTER log lines');
    const parentPid = Number(readFileSync(join(scratch, 'parent.pid'), 'utf8'));
    const transitionsOfA = count(daemon.log(), '(VI_A) Entering');

    writeFileSync(join(scratch, 'keepalived-ts.conf'), instances('10.67.0.173'));
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => hasAddress(host.namespace, '10.67.0.173') && !hasAddress(host.namespace, '10.67.0.172'), 10_000, 'VI_B restarted with its new VIP');
    expect(daemon.log()).toContain('Reload done: 1 kept, 1 restarted');
    expect(count(daemon.log(), '(VI_A) Entering')).toBe(transitionsOfA);
    expect(hasAddress(host.namespace, '10.67.0.171')).toBe(true);

    writeFileSync(join(scratch, 'keepalived-ts.conf'), 'vrrp_instance BROKEN {\n  virtual_router_id 300\n');
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => daemon.log().includes('reload refused'), 5000, 'the broken config to be refused');
    await delay(300);
    expect(hasAddress(host.namespace, '10.67.0.171')).toBe(true);
    expect(hasAddress(host.namespace, '10.67.0.173')).toBe(true);
    await daemon.stop();
    expect(hasAddress(host.namespace, '10.67.0.171')).toBe(false);
  });

  it('-V leaves the VIPs in place on SIGTERM; -g writes the log to a file', async () => {
    const host = lab.directors[0]!;
    const scratch = scratchDir('opv');
    const logFile = join(scratch, 'daemon.log');
    const daemon = startOurs(host, vrrpConfig([{ vrid: 74, priority: 150, vip: '10.67.0.174/24', version: 3, advertInt: 0.1 }]), scratch, ['-V', '-g', logFile]);
    running.push(daemon);
    await waitFor(() => hasAddress(host.namespace, '10.67.0.174'), 15_000, 'MASTER');
    await daemon.stop();
    expect(await daemon.exited).toBe(0);
    expect(hasAddress(host.namespace, '10.67.0.174')).toBe(true);
    expect(readFileSync(logFile, 'utf8')).toContain('(VI_74) Entering MASTER STATE');
    spawnSync('ip', ['-n', host.namespace, 'addr', 'del', '10.67.0.174/24', 'dev', 'eth0']);
  });

  it('a VRRP child whose supervisor is killed while the child starts stops too', async () => {
    const host = lab.directors[0]!;
    const daemon = startOurs(host, vrrpConfig([{ vrid: 77, priority: 150, vip: '10.67.0.177/24', version: 3, advertInt: 0.1 }]), scratchDir('opo'));
    running.push(daemon);
    await waitFor(() => /Starting vrrp child process, pid \d+/.test(daemon.log()), 10_000, 'the child to be forked');
    const childPid = Number(/Starting vrrp child process, pid (\d+)/.exec(daemon.log())![1]);
    const [parentPid] = daemon.pids();
    process.kill(parentPid!, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${childPid}`) || readFileSync(`/proc/${childPid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'), 15_000, 'the orphaned child to stop');
    expect(hasAddress(host.namespace, '10.67.0.177')).toBe(false);
  });

  it('without -n it detaches, returns 0 once the pid file exists, and stops on SIGTERM', async () => {
    const host = lab.directors[0]!;
    const scratch = scratchDir('opd');
    const configFile = join(scratch, 'k.conf');
    writeFileSync(configFile, vrrpConfig([{ vrid: 75, priority: 150, vip: '10.67.0.175/24', version: 3, advertInt: 0.1 }]));
    const pidFile = join(scratch, 'parent.pid');
    const result = spawnSync('ip', ['netns', 'exec', host.namespace, process.execPath, BIN, '-P', '-f', configFile, '-p', pidFile, '-r', join(scratch, 'vrrp.pid')], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => hasAddress(host.namespace, '10.67.0.175'), 15_000, 'the detached daemon to become MASTER');
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !existsSync(pidFile), 10_000, 'the pid file to go');
    expect(hasAddress(host.namespace, '10.67.0.175')).toBe(false);
  });

  it('exits non-zero for -C, a config with only virtual servers, and a config with errors', () => {
    const scratch = scratchDir('opc');
    const run = (text: string, args: string[] = []) => {
      const file = join(scratch, 'k.conf');
      writeFileSync(file, text);
      return spawnSync(process.execPath, [BIN, '-n', '-f', file, '-p', join(scratch, 'p.pid'), '-r', join(scratch, 'v.pid'), ...args], { encoding: 'utf8', timeout: 20_000 });
    };
    const checkOnly = run(vrrpConfig([{ vrid: 76, priority: 100, vip: '10.67.0.176' }]), ['-C']);
    expect(checkOnly.status).toBe(2);
    expect(checkOnly.stderr).toContain('no virtual_server: nothing to run');
    const servers = run('virtual_server 10.67.0.180 80 {\n  real_server 10.67.0.181 80 {\n  }\n}\n');
    expect(servers.status).toBe(2);
    expect(servers.stderr).toContain('checker process');
    const broken = run('vrrp_instance X {\n  virtual_router_id 999\n}\n');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/k\.conf:\d+:\d+: error/);
  });
});
