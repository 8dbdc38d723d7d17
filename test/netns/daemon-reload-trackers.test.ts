// HUP re-reads trackers and notify settings: a vrrp_script whose command changed runs the new
// command (the instance's priority follows it without a restart of the instance), and a changed
// notify line is the one run on the next transition.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, hasAddress, scratchDir, startOurs, waitFor, type Director, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 87;
const VIP = `10.${SUBNET}.0.100`;

describe('reload of trackers and notify settings', () => {
  let lab: VrrpLab;
  let dir: string;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('rt', SUBNET, 1, 'kdo');
    // Script security refuses scripts under a world-writable directory such as /tmp.
    dir = mkdtempSync('/run/kdo-reload-');
    chmodSync(dir, 0o755);
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a changed vrrp_script command and a changed notify_fault line take effect on HUP', async () => {
    // A retried attempt starts clean: no daemon or notify marks of the failed one.
    await Promise.all(running.splice(0).map((d) => d.stop()));
    for (const mark of ['fault-1', 'fault-2']) rmSync(join(dir, mark), { force: true });
    const trackedFile = join(dir, 'tracked');
    writeFileSync(trackedFile, '0\n');
    const config = (script: string, faultMark: string) => `global_defs {
  enable_script_security
  script_user root
}
vrrp_script chk {
  script "${script}"
  interval 1
  weight -30
}
track_file tf {
  file ${trackedFile}
  weight 0
}
vrrp_instance VI_A {
  state BACKUP
  interface eth0
  virtual_router_id 91
  priority 150
  advert_int 0.1
  version 3
  track_script {
    chk
  }
  track_file {
    tf
  }
  notify_fault "/usr/bin/touch ${join(dir, faultMark)}"
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;
    const scratch = scratchDir('kdo-rt');
    const daemon = startOurs(lab.directors[0]!, config('/bin/true', 'fault-1'), scratch);
    running.push(daemon);
    await waitFor(() => hasAddress(lab.directors[0]!.namespace, VIP), 15_000, 'MASTER');
    await waitFor(() => daemon.log().includes('(VI_A) Entering MASTER STATE'), 5000, 'the MASTER line');
    const parentPid = daemon.pids()[0]!;
    const transitions = daemon.log().split('(VI_A) Entering').length;

    writeFileSync(join(scratch, 'keepalived-ts.conf'), config('/bin/false', 'fault-1'));
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => daemon.log().includes('Trackers and notify settings re-read (restarted: chk)'), 10_000, 'the trackers to be rebuilt');
    // The parent's summary and the VRRP child's line come from two processes, in either order.
    await waitFor(() => daemon.log().includes('Reload done: 1 kept, 0 restarted'), 10_000, 'the reload summary');
    await waitFor(() => daemon.log().includes('(VI_A) Changing effective priority from 150 to 120'), 10_000, 'the new script to fail');
    expect(daemon.log().split('(VI_A) Entering').length).toBe(transitions);

    writeFileSync(join(scratch, 'keepalived-ts.conf'), config('/bin/false', 'fault-2'));
    const rebuilds = daemon.log().split('Trackers and notify settings re-read').length - 1;
    process.kill(parentPid, 'SIGHUP');
    await waitFor(() => daemon.log().split('Trackers and notify settings re-read').length - 1 > rebuilds, 10_000, 'the notify settings to be re-read');
    // The kept instance keeps its state and its failing tracker: no priority change back to 150.
    expect(daemon.log()).not.toContain('Changing effective priority from 120 to 150');
    writeFileSync(trackedFile, '1\n');
    await waitFor(() => existsSync(join(dir, 'fault-2')), 10_000, 'the new notify_fault script');
    expect(existsSync(join(dir, 'fault-1'))).toBe(false);
    await daemon.stop();
  }, 60_000);
});
