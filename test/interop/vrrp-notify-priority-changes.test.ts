// notify_priority_changes against keepalived 2.2.7: director d0 runs VA (MASTER alone) and VB (BACKUP
// to a keepalived peer on d1 at priority 200), both tracking one track_file with weight 10. The file's
// value moves their effective priority, then the peer stops (VB becomes MASTER). Our daemon and
// keepalived run in turn with the same config and each writes its vrrp_notify_fifo: per subject the
// lines must be identical (MASTER_PRIORITY / BACKUP_PRIORITY lines included, the one for the tracked
// priority set at start too), with the keyword on the instances, in global_defs, or in a sync group.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';
import { bySubject, readFifo } from '../support/notify-fifo-reader.js';

type Where = 'instance' | 'global' | 'sync group';

const instance = (name: string, vrid: number, priority: number, extra: readonly string[]): string => [
  `vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, `  priority ${priority}`, '  advert_int 0.1', '  version 3',
  ...extra.map((l) => `  ${l}`), '  virtual_ipaddress {', `    10.183.0.${vrid}/24`, '  }', '}', '',
].join('\n');

function config(where: Where, fifo: string, trackFile: string): string {
  const own = where === 'instance' ? ['notify_priority_changes'] : [];
  const tracked = [...own, 'track_file {', '  tf', '}'];
  return [
    'global_defs {', `  vrrp_notify_fifo ${fifo}`, ...(where === 'global' ? ['  vrrp_notify_priority_changes'] : []), '}',
    'track_file tf {', `  file ${trackFile}`, '  weight 10', '}',
    // sync_group_tracking_weight: without it a member's tracker weights are ignored (no changes to report).
    ...(where === 'sync group' ? ['vrrp_sync_group G1 {', '  group {', '    VA', '  }', '  notify_priority_changes', '  sync_group_tracking_weight', '}'] : []),
    instance('VA', 91, 100, tracked),
    instance('VB', 92, 100, where === 'sync group' ? ['track_file {', '  tf', '}'] : tracked),
  ].join('\n');
}

describe('notify_priority_changes FIFO lines, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let dir: string;
  const readers: ChildProcess[] = [];
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('np', 183, 2, 'knp');
    dir = mkdtempSync('/run/knp-fifo-');
    chmodSync(dir, 0o755);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    for (const reader of readers) if (reader.exitCode === null) reader.kill('SIGKILL');
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    removeScratchDirs();
  });

  let attempt = 0;
  async function run(where: Where, start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<string> {
    const name = `${tag}-${where.replace(' ', '-')}-${++attempt}`;
    const fifo = join(dir, `${name}.fifo`);
    const trackFile = join(dir, `${name}.track`);
    writeFileSync(trackFile, '1\n');
    const fifoReader = readFifo(fifo);
    readers.push(fifoReader.process);
    const peer = startKeepalived(lab.directors[1]!, instance('VB', 92, 200, []), scratchDir(`np-peer-${name}`));
    daemons.push(peer);
    await delay(600);
    const daemon = start(lab.directors[0]!, config(where, fifo, trackFile), scratchDir(`np-${name}`));
    daemons.push(daemon);
    await waitFor(() => fifoReader.text().includes('INSTANCE "VA" MASTER ') && fifoReader.text().includes('INSTANCE "VB" BACKUP '), 15_000, `${name}: settled`);
    for (const value of ['3', '0', '-2']) {
      await delay(500);
      writeFileSync(trackFile, `${value}\n`);
    }
    await delay(500);
    await peer.stop();
    await waitFor(() => fifoReader.text().includes('INSTANCE "VB" MASTER '), 5000, `${name}: VB took over from the stopped peer`);
    writeFileSync(trackFile, '5\n');
    await delay(500);
    await daemon.stop();
    await waitFor(() => fifoReader.text().includes('INSTANCE "VB" STOP'), 3000, `${name}: the STOP lines`);
    await delay(200);
    return fifoReader.text();
  }

  for (const where of ['instance', 'global', 'sync group'] as const) {
    it(`writes the same priority lines as keepalived with the keyword in the ${where}`, async () => {
      const theirs = bySubject(await run(where, startKeepalived, 'ka'));
      const ours = bySubject(await run(where, startOurs, 'ours'));
      // The scenario reached what it is about: keepalived reported the moves in both states.
      expect(theirs['INSTANCE "VA"']).toEqual(expect.arrayContaining(['INSTANCE "VA" BACKUP_PRIORITY 110', 'INSTANCE "VA" MASTER_PRIORITY 130', 'INSTANCE "VA" MASTER_PRIORITY 80']));
      if (where !== 'sync group') expect(theirs['INSTANCE "VB"']).toEqual(expect.arrayContaining(['INSTANCE "VB" BACKUP_PRIORITY 130', 'INSTANCE "VB" MASTER_PRIORITY 150']));
      else expect(theirs['INSTANCE "VB"']!.some((line) => line.includes('_PRIORITY'))).toBe(false);
      expect(ours).toEqual(theirs);
    });
  }
});
