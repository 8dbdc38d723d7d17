// Wire-level interop with Debian's keepalived 2.2.x: it runs in one namespace; our receive
// sockets in the other decode its v2, v3 and IPv6 adverts, our encoder rebuilds them byte for
// byte, and keepalived accepts the adverts we send (it yields mastership to our higher priority).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../src/sys/native.js';
import type { Socket } from '../../src/sys/socket.js';
import { encodeAdvert, passwordAuthData, type AdvertV2, type AdvertV3 } from '../../src/vrrp/packet.js';
import { encodeIpv4AdvertPacket } from '../../src/vrrp/packet-ipv4.js';
import { decodeReceivedIpv4Advert, decodeReceivedIpv6Advert, type ReceivedAdvertResult } from '../../src/vrrp/packet-received.js';
import {
  ADVERT_RECEIVE_OPTIONS, openIpv4AdvertReceiveSocket, openIpv4AdvertSendSocket, openIpv6AdvertReceiveSocket, openIpv6AdvertSendSocket,
  requireInterface, sendIpv4Advert, sendIpv6Advert,
} from '../../src/vrrp/raw-sockets.js';
import { createVethLab, delay, startKeepalived, withinNamespace, type RunningKeepalived, type VethLab } from '../support/netns-raw.js';

interface Collected {
  readonly result: ReceivedAdvertResult & { ok: true };
  readonly data: Buffer;
}

function keepalivedConfig(interfaceName: string): string {
  return `global_defs {
  router_id ktsvw_wire
}
vrrp_instance WIRE_V2 {
  state MASTER
  interface ${interfaceName}
  version 2
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass lab51
  }
  virtual_ipaddress {
    10.79.0.100/24
  }
}
vrrp_instance WIRE_V3 {
  state MASTER
  interface ${interfaceName}
  version 3
  virtual_router_id 52
  priority 100
  advert_int 0.1
  virtual_ipaddress {
    10.79.0.101/24
  }
}
vrrp_instance WIRE_V6 {
  state MASTER
  interface ${interfaceName}
  version 3
  virtual_router_id 53
  priority 100
  advert_int 0.1
  virtual_ipaddress {
    fd00:79::53/64
  }
}
`;
}

describe('keepalived adverts on our sockets', () => {
  let lab: VethLab;
  let scratch: string;
  let keepalived: RunningKeepalived | undefined;
  const log = () => keepalived?.log() ?? '';
  const sockets: Socket[] = [];
  const collected = new Map<string, Collected>();
  const drops: string[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'ktsvw-keepalived-'));
    lab = createVethLab('k', 79);
    const receiver4 = withinNamespace(lab.b.namespace, () => openIpv4AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    const receiver6 = withinNamespace(lab.b.namespace, () => openIpv6AdvertReceiveSocket({ interfaceName: lab.b.interfaceName }));
    sockets.push(receiver4, receiver6);
    const keep = (family: string, decode: (message: ReceivedMessage) => ReceivedAdvertResult) => (message: ReceivedMessage) => {
      const result = decode(message);
      if (!result.ok) drops.push(result.reason);
      else if (result.advert.priority > 0) collected.set(`${family}/${result.advert.vrid}`, { result, data: Buffer.from(message.data) });
    };
    const fail = (error: Error) => drops.push(String(error));
    receiver4.startReceiving(ADVERT_RECEIVE_OPTIONS, keep('ipv4', (message) => decodeReceivedIpv4Advert(message)), fail);
    receiver6.startReceiving(ADVERT_RECEIVE_OPTIONS, keep('ipv6', (message) => decodeReceivedIpv6Advert(message)), fail);

    keepalived = startKeepalived(lab.a.namespace, keepalivedConfig(lab.a.interfaceName), scratch);

    // v2 at advert_int 1 becomes master after one master-down interval (~3.4 s).
    const deadline = Date.now() + 20_000;
    while (collected.size < 3 && Date.now() < deadline) await delay(100);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await keepalived?.stop();
    lab?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('receives and decodes keepalived\'s v2 PASS advert, and rebuilds it byte for byte', () => {
    const got = collected.get('ipv4/51');
    expect(got, log()).toBeDefined();
    const { result, data } = got!;
    expect(result).toMatchObject({ hopLimit: 255, source: lab.a.ipv4, destination: '224.0.0.18', checksum: 'vrrp-only' });
    expect(result.advert).toMatchObject({ version: 2, vrid: 51, priority: 150, addresses: ['10.79.0.100'], advertIntervalSeconds: 1, authType: 'pass' });
    const id = data.readUInt16BE(4);
    expect(encodeIpv4AdvertPacket(result.advert, { source: result.source, destination: result.destination, id })).toEqual(data);
  });

  it('receives and decodes keepalived\'s v3 advert at 0.1 s, pseudo-header checksum, byte for byte', () => {
    const got = collected.get('ipv4/52');
    expect(got, log()).toBeDefined();
    const { result, data } = got!;
    expect(result).toMatchObject({ hopLimit: 255, checksum: 'pseudo-header' });
    expect(result.advert).toMatchObject({ version: 3, vrid: 52, priority: 100, addresses: ['10.79.0.101'], maxAdvertIntervalCentiseconds: 10 });
    expect(encodeIpv4AdvertPacket(result.advert, { source: result.source, destination: result.destination, id: data.readUInt16BE(4) })).toEqual(data);
  });

  it('receives and decodes keepalived\'s IPv6 advert to ff02::12 with hop limit 255, byte for byte', () => {
    const got = collected.get('ipv6/53');
    expect(got, log()).toBeDefined();
    const { result, data } = got!;
    expect(result).toMatchObject({ hopLimit: 255, destination: 'ff02::12', checksum: 'pseudo-header' });
    expect(result.source.startsWith('fe80::')).toBe(true);
    expect(result.advert).toMatchObject({ version: 3, family: 'ipv6', vrid: 53, addresses: ['fd00:79::53'], maxAdvertIntervalCentiseconds: 10 });
    expect(encodeAdvert(result.advert, { source: result.source, destination: result.destination })).toEqual(data);
  });

  it('drops none of keepalived\'s packets', () => {
    expect(drops).toEqual([]);
  });

  it('keepalived accepts our v2 advert with a higher priority and becomes backup', async () => {
    const sender = withinNamespace(lab.b.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.b.interfaceName }));
    sockets.push(sender);
    const ours: AdvertV2 = {
      version: 2, family: 'ipv4', vrid: 51, priority: 200, addresses: ['10.79.0.100'],
      advertIntervalSeconds: 1, authType: 'pass', authData: passwordAuthData('lab51'),
    };
    // Only what it logs from now on counts: at startup it logs "Entering BACKUP STATE (init)" too.
    const logStart = log().length;
    expect(log()).toMatch(/\(WIRE_V2\) Entering MASTER STATE/);
    const yielded = () => /\(WIRE_V2\) Entering BACKUP STATE/.test(log().slice(logStart));
    for (let id = 1; id <= 20 && !yielded(); id++) {
      sendIpv4Advert(sender, encodeIpv4AdvertPacket(ours, { source: lab.b.ipv4, destination: '224.0.0.18', id }), '224.0.0.18');
      await delay(200);
    }
    expect(yielded(), log()).toBe(true);
    expect(log().slice(logStart)).toMatch(/\(WIRE_V2\) Master received advert from 10\.79\.0\.2 with higher priority 200, ours 150/);
    expect(log()).not.toMatch(/WIRE_V2.*(bad|invalid|checksum|auth)/i);
  });

  it('keepalived accepts our v3 IPv4 (pseudo-header checksum) and IPv6 adverts and becomes backup for both', async () => {
    const sender4 = withinNamespace(lab.b.namespace, () => openIpv4AdvertSendSocket({ interfaceName: lab.b.interfaceName }));
    const sender6 = withinNamespace(lab.b.namespace, () => openIpv6AdvertSendSocket({ interfaceName: lab.b.interfaceName, sourceAddress: lab.b.linkLocal }));
    const ifindex = withinNamespace(lab.b.namespace, () => requireInterface(lab.b.interfaceName));
    sockets.push(sender4, sender6);
    const v3: AdvertV3 = { version: 3, family: 'ipv4', vrid: 52, priority: 200, addresses: ['10.79.0.101'], maxAdvertIntervalCentiseconds: 10 };
    const v6: AdvertV3 = { version: 3, family: 'ipv6', vrid: 53, priority: 200, addresses: ['fd00:79::53'], maxAdvertIntervalCentiseconds: 10 };
    const logStart = log().length;
    const yielded = (name: string) => new RegExp(`\\(${name}\\) Entering BACKUP STATE`).test(log().slice(logStart));
    for (let id = 1; id <= 50 && !(yielded('WIRE_V3') && yielded('WIRE_V6')); id++) {
      sendIpv4Advert(sender4, encodeIpv4AdvertPacket(v3, { source: lab.b.ipv4, destination: '224.0.0.18', id }), '224.0.0.18');
      sendIpv6Advert(sender6, encodeAdvert(v6, { source: lab.b.linkLocal, destination: 'ff02::12' }), 'ff02::12', ifindex);
      await delay(50);
    }
    expect(yielded('WIRE_V3'), log()).toBe(true);
    expect(yielded('WIRE_V6'), log()).toBe(true);
    expect(log()).not.toMatch(/WIRE_V[36].*(bad|invalid|checksum)/i);
  });
});
