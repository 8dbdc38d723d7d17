// An instance removed by a reload, against keepalived 2.2.7: keepalived reports it as DELETED, not
// STOP — `INSTANCE "VI_2" DELETED 100` on the notify FIFO, its notify_deleted script, and its
// `notify` script with DELETED — and the instance that stays reports nothing. Each daemon runs
// in turn with the same configs (before: VI_1 and VI_2; after SIGHUP: VI_1 only); the FIFO lines
// per subject and what the scripts recorded must be the same.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bySubject, readFifo, type FifoReader } from '../support/notify-fifo-reader.js';
import { createVrrpLab, delay, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 188;

describe('an instance removed by reload, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let dir: string;
  const daemons: Director[] = [];
  const readers: FifoReader[] = [];

  beforeAll(() => {
    lab = createVrrpLab('rd', SUBNET, 1, 'krd');
    // Under /run, not /tmp: script security distrusts world-writable directories.
    dir = mkdtempSync('/run/krd-');
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'record.sh'), `#!/bin/sh\necho "$*" >> ${join(dir, 'record')}\n`);
    chmodSync(join(dir, 'record.sh'), 0o755);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    for (const reader of readers) if (reader.process.pid !== undefined) process.kill(-reader.process.pid, 'SIGKILL');
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    removeScratchDirs();
  });

  const instance = (name: string, vrid: number, extra: readonly string[] = []): string => [
    `vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, '  priority 100', '  advert_int 0.1', '  version 3',
    ...extra.map((l) => `  ${l}`), '  virtual_ipaddress {', `    10.${SUBNET}.0.${vrid}/24`, '  }', '}', '',
  ].join('\n');
  const config = (fifo: string, withSecond: boolean): string => [
    'global_defs {', `  vrrp_notify_fifo ${fifo}`, '}',
    instance('VI_1', 81),
    ...(withSecond ? [instance('VI_2', 82, [`notify_deleted "${join(dir, 'record.sh')} deleted-script a b"`, `notify "${join(dir, 'record.sh')} notify"`])] : []),
  ].join('\n');

  let attempt = 0;
  async function run(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<{ fifo: Record<string, string[]>; record: string[] }> {
    // A retried attempt starts clean: no daemon of the failed one, a FIFO of its own.
    await Promise.all(daemons.map((d) => d.stop()));
    const fifo = join(dir, `${tag}-${++attempt}.fifo`);
    writeFileSync(join(dir, 'record'), '');
    const reader = readFifo(fifo, true);
    readers.push(reader);
    const scratch = scratchDir(`rd-${tag}`);
    const daemon = start(lab.directors[0]!, config(fifo, true), scratch);
    daemons.push(daemon);
    await waitFor(() => reader.text().includes('INSTANCE "VI_2" MASTER'), 10_000, `${tag}: VI_2 MASTER`);
    await delay(300);
    writeFileSync(join(scratch, tag === 'ka' ? 'keepalived.conf' : 'keepalived-ts.conf'), config(fifo, false));
    process.kill(daemon.pids()[0]!, 'SIGHUP');
    await waitFor(() => reader.text().includes('VI_2" DELETED'), 5000, `${tag}: the DELETED line`);
    await delay(500);
    await daemon.stop();
    await delay(300);
    // Only VI_2's lines: keepalived rewrites its FIFO's states on reload in ways of its own.
    const lines = bySubject(reader.text());
    // The notify_deleted script and `notify ... DELETED` start together, in keepalived too: their
    // lines may come in either order.
    const record = readFileSync(join(dir, 'record'), 'utf8').trim().split('\n');
    return { fifo: { 'INSTANCE "VI_2"': lines['INSTANCE "VI_2"'] ?? [] }, record: [...record.slice(0, 2), ...record.slice(2).sort()] };
  }

  it('reports DELETED with the removed instance\'s scripts, as keepalived', async () => {
    const theirs = await run(startKeepalived, 'ka');
    expect(theirs.fifo['INSTANCE "VI_2"']).toEqual(['INSTANCE "VI_2" BACKUP 100', 'INSTANCE "VI_2" MASTER 100', 'INSTANCE "VI_2" DELETED 100']);
    expect(theirs.record).toEqual(['notify INSTANCE VI_2 BACKUP 100', 'notify INSTANCE VI_2 MASTER 100', 'deleted-script a b', 'notify INSTANCE VI_2 DELETED 100']); // last two sorted
    const ours = await run(startOurs, 'ours');
    expect(ours).toEqual(theirs);
  });
});
