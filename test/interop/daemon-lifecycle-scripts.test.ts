// global_defs startup_script / shutdown_script against keepalived 2.2.7, each daemon run in turn
// with the same config: the startup script (with arguments) runs before any VRRP work and is waited
// for (the VIP comes after it ends), a failing one does not stop the start; the shutdown script runs
// after the VIPs are gone and is killed at shutdown_script_timeout; a stop while the startup script
// runs kills it, the shutdown script still runs, and the daemon exits. The scripts write what they see to a file; both
// daemons must produce the same record.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 187;
const VIP = `10.${SUBNET}.0.100`;

describe('startup_script and shutdown_script, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let dir: string;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ls', SUBNET, 1, 'kls');
    // Under /run, not /tmp: script security distrusts world-writable directories.
    dir = mkdtempSync('/run/kls-');
    chmodSync(dir, 0o755);
    const script = (name: string, body: string): void => {
      writeFileSync(join(dir, name), `#!/bin/sh\nrecord="${join(dir, 'record')}"\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    // ca=: the daemon's parent starts Node without NODE_EXTRA_CA_CERTS but gives it back to scripts.
    script('up.sh', 'echo "startup args=$* vip=$(ip -o addr show | grep -c " ' + VIP + '/") ca=${NODE_EXTRA_CA_CERTS:-none}" >> "$record"\nsleep 1\necho "startup done" >> "$record"');
    script('down.sh', 'echo "shutdown args=$* vip=$(ip -o addr show | grep -c " ' + VIP + '/")" >> "$record"\nsleep 3\necho "shutdown done" >> "$record"');
    script('fail.sh', 'echo "failing startup" >> "$record"\nexit 3');
    script('slow.sh', 'echo "slow startup" >> "$record"\nsleep 2\necho "slow startup done" >> "$record"');
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    removeScratchDirs();
  });

  const config = (startup: string): string => [
    'global_defs {', `  startup_script "${startup}"`, '  startup_script_timeout 5', `  shutdown_script ${join(dir, 'down.sh')}`, '  shutdown_script_timeout 1', '}',
    'vrrp_instance VI {', '  interface eth0', '  virtual_router_id 74', '  priority 100', '  advert_int 0.1', '  version 3',
    '  virtual_ipaddress {', `    ${VIP}/24`, '  }', '}', '',
  ].join('\n');

  /** The record the scripts wrote, with the moments the VIP appeared and the daemon exited marked in it. */
  async function record(start: (h: LabHost, conf: string, scratch: string) => Director, startup: string, tag: string): Promise<string[]> {
    const file = join(dir, 'record');
    writeFileSync(file, '');
    const mark = (what: string): void => writeFileSync(file, `${readFileSync(file, 'utf8')}-- ${what}\n`);
    const daemon = start(lab.directors[0]!, config(startup), scratchDir(`ls-${tag}`));
    daemons.push(daemon);
    await waitFor(() => hasAddress(lab.directors[0]!.namespace, VIP), 10_000, `${tag}: the VIP`);
    mark('VIP');
    await daemon.stop();
    mark('exited');
    await delay(3000); // a shutdown script that was not killed would write "shutdown done" by now
    return readFileSync(file, 'utf8').trim().split('\n');
  }

  it('runs them at the same moments with the same effects as keepalived', async () => {
    const up = `${join(dir, 'up.sh')} a1 a2`;
    const theirs = await record(startKeepalived, up, 'ka');
    expect(theirs).toEqual([`startup args=a1 a2 vip=0 ca=${process.env['NODE_EXTRA_CA_CERTS'] ?? 'none'}`, 'startup done', '-- VIP', 'shutdown args= vip=0', '-- exited']);
    expect(await record(startOurs, up, 'ours')).toEqual(theirs);
  });

  /** The record of a daemon stopped while its startup script runs, and how long the stop took. */
  async function stoppedDuringStartup(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<{ lines: string[]; stopMs: number }> {
    const file = join(dir, 'record');
    writeFileSync(file, '');
    const daemon = start(lab.directors[0]!, config(join(dir, 'slow.sh')), scratchDir(`ls-${tag}`));
    daemons.push(daemon);
    await waitFor(() => readFileSync(file, 'utf8').includes('slow startup'), 10_000, `${tag}: the startup script`);
    const before = performance.now();
    await daemon.stop();
    const stopMs = performance.now() - before;
    await delay(2500); // a startup script left running would write its last line by now
    expect(hasAddress(lab.directors[0]!.namespace, VIP)).toBe(false);
    return { lines: readFileSync(file, 'utf8').trim().split('\n'), stopMs };
  }

  it('kills the startup script when stopped during it, runs the shutdown script and exits, as keepalived', async () => {
    const theirs = await stoppedDuringStartup(startKeepalived, 'ka-stop');
    // keepalived runs the shutdown script all the same (killed at its 1 s timeout).
    expect(theirs.lines).toEqual(['slow startup', 'shutdown args= vip=0']);
    expect(theirs.stopMs).toBeLessThan(2000);
    const ours = await stoppedDuringStartup(startOurs, 'ours-stop');
    console.log(`stop during startup_script: keepalived ${theirs.stopMs.toFixed(0)} ms, ours ${ours.stopMs.toFixed(0)} ms`);
    expect(ours.lines).toEqual(theirs.lines);
    expect(ours.stopMs).toBeLessThan(2000);
  });

  it('goes on starting after a failing startup script, as keepalived', async () => {
    const theirs = await record(startKeepalived, join(dir, 'fail.sh'), 'ka-fail');
    expect(theirs).toEqual(['failing startup', '-- VIP', 'shutdown args= vip=0', '-- exited']);
    expect(await record(startOurs, join(dir, 'fail.sh'), 'ours-fail')).toEqual(theirs);
  });
});
