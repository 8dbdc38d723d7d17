// Bad adverts sent with raw sockets from a client namespace at our daemon: each is counted under
// its drop reason (read back from the VRRP process' USR1 stats dump), none changes the state, and
// the daemon keeps running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIpv4Header } from '../../src/vrrp/ip-header.js';
import { encodeAdvert, passwordAuthData, type AdvertV2 } from '../../src/vrrp/packet.js';
import { openIpv4AdvertSendSocket, sendIpv4Advert } from '../../src/vrrp/raw-sockets.js';
import type { Socket } from '../../src/sys/socket.js';
import { disposeNamespaces, inNamespace } from '../support/netns.js';
import { createVrrpLab, delay, readStats, scratchDir, startOurs, vipHolders, vrrpConfig, waitFor, type Director, type VrrpLab } from '../support/vrrp-lab.js';

const VIP = '10.63.0.100';
const GROUP = '224.0.0.18';

describe('drop counters of our daemon', () => {
  let lab: VrrpLab;
  let daemon: Director | undefined;
  let socket: Socket | undefined;

  beforeAll(() => {
    lab = createVrrpLab('dr', 63, 1);
  });

  afterAll(async () => {
    socket?.close();
    await daemon?.stop();
    lab?.destroy();
    disposeNamespaces();
  });

  it('counts truncated, garbage, wrong TTL, wrong checksum, wrong auth and unknown VRID adverts by reason', async () => {
    daemon = startOurs(lab.directors[0]!, vrrpConfig([{ vrid: 63, priority: 100, vip: `${VIP}/24`, password: 'secret', advertInt: 1 }]), scratchDir('dr'));
    await waitFor(() => vipHolders(lab, VIP).length === 1, 15_000, 'the lone director to become MASTER');
    socket = inNamespace(lab.client.namespace, () => openIpv4AdvertSendSocket({ interfaceName: 'eth0' }));
    const source = lab.client.ipv4;
    const advert = (changes: Partial<AdvertV2>): Buffer => encodeAdvert({
      version: 2, family: 'ipv4', vrid: 63, priority: 200, addresses: [VIP], advertIntervalSeconds: 1,
      authType: 'pass', authData: passwordAuthData('secret'), ...changes,
    });
    const send = (body: Uint8Array, ttl = 255): void => {
      const header = buildIpv4Header({ source, destination: GROUP, payloadLength: body.length, id: 7, ttl });
      expect(sendIpv4Advert(socket!, Buffer.concat([header, body]), GROUP)).toBe(true);
    };
    const badChecksum = advert({});
    badChecksum[6] ^= 0xff;
    const sent: [string, () => void][] = [
      ['truncated', () => send(advert({}).subarray(0, 10))],
      ['bad-version', () => send(Buffer.alloc(20, 0xff))],
      ['bad-ttl', () => send(advert({}), 64)],
      ['bad-checksum', () => send(badChecksum)],
      ['auth-mismatch', () => send(advert({ authData: passwordAuthData('wrong') }))],
      ['unknown-vrid', () => send(advert({ vrid: 99 }))],
      ['interval-mismatch', () => send(advert({ advertIntervalSeconds: 3 }))],
    ];
    for (const [, sendOne] of sent) for (let i = 0; i < 3; i++) sendOne();
    await delay(300);
    const stats = await readStats(daemon);
    const socketDrops = stats.sockets['eth0/ipv4/multicast']!.drops;
    for (const [reason] of sent) expect(socketDrops[reason], reason).toBe(3);
    const instance = stats.instances['VI_63']!;
    expect(instance['state']).toBe('MASTER');
    expect((instance['drops'] as Record<string, number>)['auth-mismatch']).toBe(3);
    expect(daemon.log()).toContain('dropped advert from');
    expect(vipHolders(lab, VIP)).toEqual([0]);
  });
});
