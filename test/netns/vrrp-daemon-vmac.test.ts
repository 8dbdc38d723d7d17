// use_vmac: the VIP lives on a macvlan with the RFC virtual MAC (00:00:5e:00:01:VRID), adverts and
// GARPs leave from it, and after a failover the client keeps the same MAC for the VIP: only the
// bridge has to learn where it moved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, pingOnce, scratchDir, sh, startOurs, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const VIP = '10.68.0.100';
const VMAC = '00:00:5e:00:01:44'; // VRID 68

function vipOnVmac(lab: VrrpLab, index: number): boolean {
  const out = sh('ip', ['-n', lab.directors[index]!.namespace, '-o', 'addr', 'show']);
  return out.split('\n').some((line) => line.includes('vrrp.68') && line.includes(` ${VIP}/`));
}

describe('use_vmac', () => {
  let lab: VrrpLab;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('vm', 68, 2);
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('puts the VIP on a virtual-MAC macvlan and keeps the client on that MAC across a failover', async () => {
    const config = (priority: number) => vrrpConfig([{ vrid: 68, priority, vip: `${VIP}/24`, version: 3, advertInt: 0.1, extra: ['use_vmac'] }]);
    const master = startOurs(lab.directors[0]!, config(150), scratchDir('vm0'));
    const backup = startOurs(lab.directors[1]!, config(100), scratchDir('vm1'));
    running.push(master, backup);
    await waitFor(() => vipOnVmac(lab, 0), 15_000, 'the VIP on director 0\'s VMAC');
    expect(sh('ip', ['-n', lab.directors[0]!.namespace, 'link', 'show', 'vrrp.68'])).toContain(`link/ether ${VMAC}`);
    await waitFor(() => pingOnce(lab, VIP), 3000, 'the client to reach the VIP');
    expect(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', VIP])).toContain(VMAC);

    await master.stop();
    expect(sh('ip', ['-n', lab.directors[0]!.namespace, '-o', 'link', 'show'])).not.toContain('vrrp.68');
    await waitFor(() => vipOnVmac(lab, 1), 3000, 'the VIP on director 1\'s VMAC');
    await waitFor(() => pingOnce(lab, VIP), 3000, 'the client to reach the VIP on director 1');
    expect(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', VIP])).toContain(VMAC);
    await waitFor(() => backup.log().includes('(VI_68) Entering MASTER STATE'), 2000, 'the MASTER log line');
  });
});
