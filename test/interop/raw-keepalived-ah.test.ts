// AH authentication (VRRPv2 auth type 2) against Debian's keepalived 2.2.x on the wire: our
// protocol-51 receive socket gets its adverts and verifies their HMAC-MD5-96 ICV, and keepalived
// verifies ours (it yields mastership to our higher priority; a wrong password it ignores).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from '../../src/sys/socket.js';
import type { AdvertV2 } from '../../src/vrrp/packet.js';
import { encodeIpv4AhAdvertPacket } from '../../src/vrrp/packet-ah.js';
import { decodeReceivedIpv4Advert, type ReceivedAdvertResult } from '../../src/vrrp/packet-received.js';
import { ADVERT_RECEIVE_OPTIONS, openIpv4AdvertReceiveSocket, openIpv4AdvertSendSocket, sendIpv4Advert } from '../../src/vrrp/raw-sockets.js';
import { createVethLab, delay, startKeepalived, withinNamespace, type RunningKeepalived, type VethLab } from '../support/netns-raw.js';

const config = (interfaceName: string) => `vrrp_instance WIRE_AH {
  state MASTER
  interface ${interfaceName}
  version 2
  virtual_router_id 61
  priority 150
  advert_int 1
  authentication {
    auth_type AH
    auth_pass lab61ah
  }
  virtual_ipaddress {
    10.81.0.100/24
  }
}
`;

describe('AH adverts between keepalived and our sockets', () => {
  let lab: VethLab;
  let scratch: string;
  let keepalived: RunningKeepalived | undefined;
  const sockets: Socket[] = [];
  const results: ReceivedAdvertResult[] = [];
  const wrongPasswordResults: ReceivedAdvertResult[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'ktsvw-ah-'));
    lab = createVethLab('h', 81);
    const receiver = withinNamespace(lab.b.namespace, () => openIpv4AdvertReceiveSocket({ interfaceName: lab.b.interfaceName, authentication: 'ah' }));
    sockets.push(receiver);
    receiver.startReceiving(ADVERT_RECEIVE_OPTIONS, (message) => {
      results.push(decodeReceivedIpv4Advert(message, { ahPasswordFor: (vrid) => (vrid === 61 ? 'lab61ah' : undefined) }));
      wrongPasswordResults.push(decodeReceivedIpv4Advert(message, { ahPasswordFor: () => 'other' }));
    }, (error) => { throw error; });
    keepalived = startKeepalived(lab.a.namespace, config(lab.a.interfaceName), scratch);
    const deadline = Date.now() + 20_000;
    while (!results.some((result) => result.ok && result.advert.priority === 150) && Date.now() < deadline) await delay(100);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await keepalived?.stop();
    lab?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('receives keepalived\'s AH adverts on a protocol-51 socket and verifies their ICV', () => {
    const accepted = results.filter((result) => result.ok && result.advert.priority === 150);
    expect(accepted.length, keepalived?.log()).toBeGreaterThan(0);
    expect(accepted[0]).toMatchObject({
      ok: true, hopLimit: 255, source: lab.a.ipv4,
      ah: { spi: 0x0a510001 },
      advert: { version: 2, vrid: 61, priority: 150, authType: 'ah', addresses: ['10.81.0.100'] },
    });
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(wrongPasswordResults.every((result) => !result.ok && result.reason === 'auth-mismatch')).toBe(true);
  });

  it('keepalived ignores our AH advert with a wrong password, and yields to one with the right password', async () => {
    const sender = withinNamespace(lab.b.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.b.interfaceName }));
    sockets.push(sender);
    const ours: AdvertV2 = {
      version: 2, family: 'ipv4', vrid: 61, priority: 200, addresses: ['10.81.0.100'],
      advertIntervalSeconds: 1, authType: 'ah', authData: new Uint8Array(8),
    };
    const send = (sequence: number, password: string) =>
      sendIpv4Advert(sender, encodeIpv4AhAdvertPacket(ours, { source: lab.b.ipv4, destination: '224.0.0.18', id: sequence, sequence, password }), '224.0.0.18');
    // Only what it logs from now on counts: at startup it logs "Entering BACKUP STATE (init)" too.
    const logStart = keepalived!.log().length;
    expect(keepalived!.log()).toMatch(/\(WIRE_AH\) Entering MASTER STATE/);
    const yielded = () => /\(WIRE_AH\) Entering BACKUP STATE/.test(keepalived!.log().slice(logStart));

    for (let sequence = 1; sequence <= 5; sequence++) {
      send(sequence, 'wrongpw');
      await delay(100);
    }
    await delay(300);
    expect(yielded()).toBe(false);
    const wrongPhaseEnd = keepalived!.log().length;
    expect(keepalived!.log().slice(logStart, wrongPhaseEnd)).toMatch(/\(WIRE_AH\) IPSEC-AH : invalid IPSEC HMAC-MD5 value/);

    for (let sequence = 6; sequence <= 30 && !yielded(); sequence++) {
      send(sequence, 'lab61ah');
      await delay(200);
    }
    expect(yielded(), keepalived!.log()).toBe(true);
    expect(keepalived!.log().slice(wrongPhaseEnd)).toMatch(/\(WIRE_AH\) Master received advert from 10\.81\.0\.2 with higher priority 200, ours 150/);
    expect(keepalived!.log().slice(wrongPhaseEnd)).not.toMatch(/invalid IPSEC/);
  });
});
