// unicast_fault_no_peer against keepalived 2.2.7: an instance with the keyword and no unicast peer
// (an empty unicast_peer block, or the keyword alone) never takes its VIP: keepalived logs "Cannot
// use unicast without any peers - going to fault state" and stays in FAULT; so must our daemon.
// Without the keyword the same instance runs multicast and takes the VIP (both daemons).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 189;
const VIP = `10.${SUBNET}.0.100`;
const config = (lines: readonly string[]): string => ['vrrp_instance VI {', '  interface eth0', '  virtual_router_id 75', '  priority 100', '  advert_int 0.1',
  '  version 3', ...lines.map((l) => `  ${l}`), '  virtual_ipaddress {', `    ${VIP}/24`, '  }', '}', ''].join('\n');
const EMPTY_PEERS = [`unicast_src_ip 10.${SUBNET}.0.10`, 'unicast_peer {', '}'];

describe('unicast_fault_no_peer, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('uf', SUBNET, 1, 'kuf');
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
  });

  for (const [what, lines] of [['an empty unicast_peer block', [...EMPTY_PEERS, 'unicast_fault_no_peer']], ['the keyword alone', ['unicast_fault_no_peer']]] as const) {
    it(`stays in FAULT without the VIP with ${what}, as keepalived`, async () => {
      for (const [tag, start] of [['ka', startKeepalived], ['ours', startOurs]] as const) {
        const daemon = start(lab.directors[0]!, config(lines), scratchDir(`uf-${tag}`));
        daemons.push(daemon);
        await waitFor(() => daemon.log().includes('Cannot use unicast without any peers - going to fault state'), 5000, `${tag}: the fault line`);
        await delay(1000); // several master-down intervals
        expect(hasAddress(lab.directors[0]!.namespace, VIP), `${tag} holds the VIP`).toBe(false);
        await daemon.stop();
      }
    });
  }

  it('without the keyword, the same instance runs multicast and takes the VIP in both', async () => {
    for (const [tag, start] of [['ka', startKeepalived], ['ours', startOurs]] as const) {
      const daemon = start(lab.directors[0]!, config(EMPTY_PEERS), scratchDir(`uf-mc-${tag}`));
      daemons.push(daemon);
      await waitFor(() => hasAddress(lab.directors[0]!.namespace, VIP), 5000, `${tag}: the VIP`);
      await daemon.stop();
    }
  });
});
