// global_defs fifo_write_vrrp_states_on_reload against keepalived 2.2.7: after a SIGHUP with the
// config unchanged, keepalived writes each sync group's state to the notify FIFO again
// (`GROUP "G1" MASTER 0`) and nothing for the instances, grouped or not (measured; without the
// keyword a reload writes nothing). Each daemon runs in turn with the same config; the lines read
// after the HUP must be the same. keepalived also closes and reopens its FIFOs on every reload, so
// the reader reopens; ours keeps them open (README, "Different, on purpose").
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFifo, type FifoReader } from '../support/notify-fifo-reader.js';
import { createVrrpLab, delay, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 193;

describe('fifo_write_vrrp_states_on_reload, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let dir: string;
  const daemons: Director[] = [];
  const readers: FifoReader[] = [];

  beforeAll(() => {
    lab = createVrrpLab('fr', SUBNET, 1, 'kfr');
    dir = mkdtempSync('/run/kfr-');
    chmodSync(dir, 0o755);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    for (const reader of readers) if (reader.process.pid !== undefined) process.kill(-reader.process.pid, 'SIGKILL');
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    removeScratchDirs();
  });

  const instance = (name: string, vrid: number): string => [
    `vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, '  priority 100', '  advert_int 0.1', '  version 3',
    '  virtual_ipaddress {', `    10.${SUBNET}.0.${vrid}/24`, '  }', '}', '',
  ].join('\n');
  const config = (fifo: string, keyword: boolean): string => [
    'global_defs {', `  notify_fifo ${fifo}`, ...(keyword ? ['  fifo_write_vrrp_states_on_reload'] : []), '}',
    'vrrp_sync_group G1 {', '  group {', '    VI_1', '  }', '}',
    instance('VI_1', 81),
    instance('VI_2', 82),
  ].join('\n');

  let attempt = 0;
  /** The FIFO lines written after the HUP (until the SIGTERM). */
  async function afterReload(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string, keyword: boolean): Promise<string[]> {
    await Promise.all(daemons.map((d) => d.stop()));
    const fifo = join(dir, `${tag}-${++attempt}.fifo`);
    const reader = readFifo(fifo, true);
    readers.push(reader);
    const daemon = start(lab.directors[0]!, config(fifo, keyword), scratchDir(`fr-${tag}`));
    daemons.push(daemon);
    await waitFor(() => reader.text().includes('GROUP "G1" MASTER') && reader.text().includes('INSTANCE "VI_2" MASTER'), 10_000, `${tag}: both MASTER`);
    await delay(300);
    const before = reader.text().length;
    process.kill(daemon.pids()[0]!, 'SIGHUP');
    await delay(1500);
    const written = reader.text().slice(before).trim();
    await daemon.stop();
    return written === '' ? [] : written.split('\n');
  }

  it('writes the sync groups\' states after a reload, as keepalived; nothing without the keyword', async () => {
    const theirs = await afterReload(startKeepalived, 'ka', true);
    expect(theirs).toEqual(['GROUP "G1" MASTER 0']);
    const ours = await afterReload(startOurs, 'ours', true);
    expect(ours).toEqual(theirs);
    const theirsWithout = await afterReload(startKeepalived, 'ka-off', false);
    const oursWithout = await afterReload(startOurs, 'ours-off', false);
    expect(theirsWithout).toEqual([]);
    expect(oursWithout).toEqual([]);
  });
});
