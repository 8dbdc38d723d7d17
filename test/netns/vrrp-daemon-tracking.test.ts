// Trackers and notify scripts in the daemon: a failing weight-0 track_script puts the instance in
// FAULT (VIP removed) and its recovery brings it back to MASTER; the `notify` script is called with
// keepalived's arguments on every transition, STOP included.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, hasAddress, scratchDir, startOurs, vrrpConfig, waitFor, type Director, type VrrpLab } from '../support/vrrp-lab.js';

const VIP = '10.71.0.100';

describe('trackers and notify scripts in the daemon', () => {
  let lab: VrrpLab;
  let daemon: Director | undefined;

  beforeAll(() => {
    lab = createVrrpLab('tk', 71, 1);
  });

  afterAll(async () => {
    await daemon?.stop();
    lab?.destroy();
  });

  it('goes FAULT while a weight-0 track_script fails, back to MASTER when it passes, and runs notify', async () => {
    const scratch = scratchDir('tk');
    const healthy = join(scratch, 'healthy');
    const notifyLog = join(scratch, 'notify.log');
    const notifyScript = join(scratch, 'notify.sh');
    writeFileSync(notifyScript, `#!/bin/sh\necho "$*" >> ${notifyLog}\n`, { mode: 0o755 });
    writeFileSync(healthy, '');
    const config = [
      'global_defs {', '  script_user root', '}',
      'vrrp_script chk_healthy {', `  script "/usr/bin/test -e ${healthy}"`, '  interval 1', '  fall 1', '  rise 1', '}',
      vrrpConfig([{ name: 'VI_T', vrid: 71, priority: 100, vip: `${VIP}/24`, version: 3, advertInt: 0.1,
        extra: ['track_script {', '  chk_healthy', '}', `notify ${notifyScript}`] }]).replace(/^global_defs \{\n\}\n/, ''),
    ].join('\n');
    daemon = startOurs(lab.directors[0]!, config, scratch);
    const namespace = lab.directors[0]!.namespace;
    await waitFor(() => hasAddress(namespace, VIP), 15_000, 'MASTER with the script passing').catch((error: Error) => {
      throw new Error(`${error.message}\n${daemon!.log()}`);
    });

    rmSync(healthy);
    await waitFor(() => !hasAddress(namespace, VIP), 5000, 'FAULT once the script fails');
    await waitFor(() => daemon!.log().includes('(VI_T) Entering FAULT STATE'), 2000, 'the FAULT log line');

    writeFileSync(healthy, '');
    await waitFor(() => hasAddress(namespace, VIP), 5000, 'MASTER again once the script passes');
    await daemon.stop();
    const lines = existsSync(notifyLog) ? readFileSync(notifyLog, 'utf8').trim().split('\n') : [];
    expect(lines).toEqual([
      'INSTANCE VI_T BACKUP 100',
      'INSTANCE VI_T MASTER 100',
      'INSTANCE VI_T FAULT 100',
      'INSTANCE VI_T BACKUP 100',
      'INSTANCE VI_T MASTER 100',
      'INSTANCE VI_T STOP 100',
    ]);
  });
});
