// A healed partition (split brain) between our daemon and keepalived 2.2.7, both ways round.
// While the directors cannot hear each other both are MASTER and the client follows the loser's
// GARPs. On healing, whichever advert crosses first decides: if the winner's reaches the loser
// first, the loser yields silently, the winner never hears a lower priority, sends no GARP, and
// the client keeps the loser's MAC until its ARP entry expires (measured: keepalived-only pairs
// show the same 4-45 s gaps as mixed ones). keepalived's remedy is `higher_prio_send_advert` on
// the loser plus the lower-priority GARP burst on the winner (garp_lower_prio_repeat, default 5):
// here both sides of it are ours in turn, and the client must point at the winner within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, pingOnce, scratchDir, sh, startKeepalived, startOurs, vipHolders, vrrpConfig, waitFor,
  type Director, type LabHost, type VrrpLab,
} from '../support/vrrp-lab.js';

const macOf = (host: LabHost): string => /link\/ether (\S+)/.exec(sh('ip', ['-n', host.namespace, 'link', 'show', 'eth0']))![1]!;

describe('healing a partition between our daemon and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 90;
  const started: Director[] = [];

  const isolate = (isolated: boolean): void => {
    for (const d of lab.directors) sh('ip', ['-n', lab.bridgeNamespace, 'link', 'set', 'dev', d.port, 'type', 'bridge_slave', 'isolated', isolated ? 'on' : 'off']);
  };
  const clientMacFor = (vip: string): string | undefined => /lladdr (\S+)/.exec(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', vip]))?.[1];

  beforeAll(() => {
    lab = createVrrpLab('pt', 174, 2, 'kvf');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
  });

  for (const oursWins of [true, false]) {
    it(`${oursWins ? 'ours wins, keepalived loses' : 'keepalived wins, ours loses'}: the client is moved back to the winner at once`, async () => {
      const id = vrid++;
      const vip = `10.174.0.${id}`;
      const config = (isOurs: boolean): string => {
        const wins = isOurs === oursWins;
        return vrrpConfig([{ vrid: id, vip: `${vip}/24`, priority: wins ? 150 : 100, version: 3, advertInt: 0.1, ...(wins ? {} : { extra: ['higher_prio_send_advert'] }) }]);
      };
      const theirs = startKeepalived(lab.directors[1]!, config(false), scratchDir('pt-ka'));
      const ours = startOurs(lab.directors[0]!, config(true), scratchDir('pt-ours'));
      started.push(theirs, ours);
      const winner = oursWins ? 0 : 1;
      const loser = 1 - winner;
      try {
        await waitFor(() => vipHolders(lab, vip).join() === String(winner), 15_000, `the VIP on director ${winner}`);
        await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP');
        for (let round = 0; round < 3; round++) {
          isolate(true);
          await waitFor(() => vipHolders(lab, vip).length === 2, 3000, 'split brain: both directors MASTER');
          await waitFor(() => clientMacFor(vip) === macOf(lab.directors[loser]!), 3000, 'the client to follow the loser\'s GARPs');
          isolate(false);
          await waitFor(() => vipHolders(lab, vip).join() === String(winner), 3000, 'the winner alone to hold the VIP after healing');
          await waitFor(() => clientMacFor(vip) === macOf(lab.directors[winner]!), 1000, 'the client to be moved back to the winner by GARP').catch((error: Error) => {
            throw new Error(`${error.message} (round ${round}); client neigh: ${sh('ip', ['-n', lab.client.namespace, 'neigh', 'show'])}`);
          });
          expect(pingOnce(lab, vip)).toBe(true);
        }
      } finally {
        isolate(false);
        await Promise.all([ours.stop(), theirs.stop()]);
      }
      expect(theirs.log()).toMatch(/higher priority|lower priority/i);
    });
  }
});
