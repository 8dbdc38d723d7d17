// A replayed AH advert (VRRPv2, auth_type AH), and one with a wrong ICV, is an authentication
// failure of the instance in the JSON dump. keepalived 2.2.7 is the master; the backup is
// keepalived first, then ours. One of the master's adverts is captured in the client namespace
// and, a few adverts later, sent again three times from there (its sequence number is then below
// the master's count), then three times with one ICV bit flipped. The backup's JSON dump
// (keepalived: SIGRTMIN+2 -> /tmp/keepalived.json; ours: SIGPWR -> json_dump_file) must show
// auth_failure grown by one per packet for both, and neither backup may change state.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETH_P_IP } from '../../src/sys/constants.js';
import type { Socket } from '../../src/sys/socket.js';
import { openIpv4AdvertSendSocket, sendIpv4Advert } from '../../src/vrrp/raw-sockets.js';
import { disposeNamespaces, inNamespace } from '../support/netns.js';
import { ethernetPayload, readPcap } from '../support/pcap.js';
import { startCapture } from '../support/netns-raw.js';
import {
  createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, startKeepalived, startOurs, vrrpConfig, waitFor,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const KEEPALIVED_JSON = '/tmp/keepalived.json';
const REPLAYS = 3;

describe('replayed and forged AH adverts count as auth_failure, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 100;
  let socket: Socket | undefined;
  const started: Director[] = [];
  const grown = new Map<string, number>();

  beforeAll(() => {
    lab = createVrrpLab(`ar${process.pid % 100_000}`, 165, 2, 'kvt');
    socket = inNamespace(lab.client.namespace, () => openIpv4AdvertSendSocket({ interfaceName: 'eth0' }));
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
    disposeNamespaces();
    console.log('auth_failure growth after', REPLAYS, 'bad AH adverts:', Object.fromEntries(grown));
  });

  /** The backup's JSON dump entry for `name`, written on its dump signal. */
  async function authFailures(backup: Director, isOurs: boolean, name: string): Promise<number> {
    const file = isOurs ? join(backup.scratch, 'dump.json') : KEEPALIVED_JSON;
    rmSync(file, { force: true });
    const vrrpPid = Number(readFileSync(join(backup.scratch, 'vrrp.pid'), 'utf8').trim());
    process.kill(vrrpPid, isOurs ? 'SIGPWR' : Number(spawnSync('keepalived', ['--signum=JSON'], { encoding: 'utf8' }).stdout.trim()));
    let entry: { data: { iname: string }; stats: { auth_failure: number } } | undefined;
    await waitFor(() => {
      try {
        entry = (JSON.parse(readFileSync(file, 'utf8')) as (typeof entry & object)[]).find((e) => e.data.iname === name);
      } catch {
        return false; // not written (completely) yet
      }
      return entry !== undefined;
    }, 3000, `the JSON dump in ${file}`);
    return entry!.stats.auth_failure;
  }

  for (const backupIsOurs of [false, true]) {
    const which = backupIsOurs ? 'ours' : 'keepalived';
    it(`${which} backup: each replayed or forged advert is one more auth_failure, and nothing else happens`, async () => {
      const id = vrid++;
      const name = `VI_${id}`;
      const vip = `10.165.0.${id}`;
      const config = (priority: number, global: string[] = []): string => vrrpConfig([{
        vrid: id, vip: `${vip}/24`, priority, version: 2, advertInt: 1, extra: ['authentication {', '  auth_type AH', '  auth_pass replay', '}'],
      }], global);
      const master = startKeepalived(lab.directors[0]!, config(150), scratchDir('ar-m'));
      started.push(master);
      await waitFor(() => hasAddress(lab.directors[0]!.namespace, vip), 15_000, 'the master with its VIP');
      const scratch = scratchDir(`ar-${which}`);
      const backup = backupIsOurs
        ? startOurs(lab.directors[1]!, config(100, [`json_dump_file ${join(scratch, 'dump.json')}`]), scratch)
        : startKeepalived(lab.directors[1]!, config(100), scratch);
      started.push(backup);
      try {
        await waitFor(() => existsSync(join(scratch, 'vrrp.pid')), 10_000, 'the backup\'s VRRP process');
        const pcap = join(scratch, 'advert.pcap');
        const capture = await startCapture(lab.client.namespace, 'eth0', pcap, `ip proto 51 and src ${lab.directors[0]!.ipv4}`, 1);
        await Promise.race([capture.exited, delay(3000)]);
        await capture.stop();
        const packet = ethernetPayload(readPcap(pcap).records[0]!.data, ETH_P_IP)!;
        expect(packet[9]).toBe(51);
        // Let the master's count move past the captured number, and the backup hear it.
        await delay(2500);
        const before = await authFailures(backup, backupIsOurs, name);
        for (let i = 0; i < REPLAYS; i++) expect(sendIpv4Advert(socket!, packet, '224.0.0.18')).toBe(true);
        await delay(500);
        const after = await authFailures(backup, backupIsOurs, name);
        grown.set(`${which} replayed`, after - before);
        expect(after - before).toBe(REPLAYS);
        // The same advert with one ICV bit flipped (AH: next header, length, reserved, SPI, sequence, then the ICV).
        const forged = Buffer.from(packet);
        forged[(packet[0]! & 0x0f) * 4 + 12]! ^= 0x01;
        for (let i = 0; i < REPLAYS; i++) expect(sendIpv4Advert(socket!, forged, '224.0.0.18')).toBe(true);
        await delay(500);
        const afterForged = await authFailures(backup, backupIsOurs, name);
        grown.set(`${which} wrong ICV`, afterForged - after);
        expect(afterForged - after).toBe(REPLAYS);
        expect(hasAddress(lab.directors[1]!.namespace, vip)).toBe(false);
        expect(backup.log()).not.toMatch(/Entering MASTER STATE/);
      } finally {
        await Promise.all([backup.stop(), master.stop()]);
      }
    });
  }
});
