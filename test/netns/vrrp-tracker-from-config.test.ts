// A keepalived config to running trackers and notifications, end to end on real parts: a script
// tracker running a real script as nobody, a track_file on a real file, a track_interface on a
// veth in a namespace, a notify script, a notify FIFO owned by `nobody` and read by a
// vrrp_notify_fifo_script running as nobody; statuses reach the sink per instance.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptRunner } from '../../src/common/script-runner.js';
import { readAccounts } from '../../src/common/script-user.js';
import { loadConfigText } from '../../src/config/load.js';
import { listLinks, openRouteSocket, RouteEvents } from '../../src/netlink/route/index.js';
import type { NetlinkSocket } from '../../src/netlink/socket.js';
import { evaluatePriority, type TrackerStatus } from '../../src/vrrp/priority.js';
import { buildTracking, planTracking } from '../../src/vrrp/trackers/from-config.js';
import { cleanupNamespaces, createNamespace, disposeNamespaces, inNamespace, ip } from '../support/netns.js';

const PREFIX = 'ktsvt';
let ns: string;
let dir: string;
let socket: NetlinkSocket;
let events: RouteEvents;

beforeAll(() => {
  cleanupNamespaces(PREFIX);
  ns = createNamespace(PREFIX);
  ip(ns, 'link', 'add', 'cfg0', 'type', 'veth', 'peer', 'name', 'cfg1');
  ip(ns, 'link', 'set', 'cfg0', 'up');
  ip(ns, 'link', 'set', 'cfg1', 'up');
  socket = inNamespace(ns, () => openRouteSocket());
  events = inNamespace(ns, () => RouteEvents.open({ addresses: false }));
  dir = mkdtempSync('/run/ktsvt-config-');
  chmodSync(dir, 0o755);
});

afterAll(() => {
  events?.close();
  socket?.close();
  disposeNamespaces();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const until = async (condition: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

describe('buildTracking from a parsed config', () => {
  it('runs every tracker and notification the config asks for', async () => {
    const codeFile = join(dir, 'code');
    writeFileSync(codeFile, '0');
    chmodSync(codeFile, 0o644);
    const check = join(dir, 'check.sh');
    writeFileSync(check, `#!/bin/sh\nexit $(cat ${codeFile})\n`);
    chmodSync(check, 0o755);
    const notifyLog = join(dir, 'pub');
    const notify = join(dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\necho "$(id -u) $*" > ${notifyLog}/notify\n`);
    chmodSync(notify, 0o755);
    spawnSync('install', ['-m', '1777', '-d', notifyLog]);
    const reader = join(dir, 'reader.sh');
    writeFileSync(reader, `#!/bin/sh\n[ "$1" = "-x" ] && exec cat "$2" >> ${notifyLog}/fifo-copy\n`);
    chmodSync(reader, 0o755);
    const weightFile = join(dir, 'weight');
    const fifo = join(dir, 'vrrp.fifo');
    const text = `global_defs {
  enable_script_security
  script_user nobody
  vrrp_notify_fifo ${fifo} nobody
  vrrp_notify_fifo_script "${reader} -x"
}
vrrp_script chk {
  script "${check} 'an arg'"
  interval 1
  weight -30
}
track_file tf {
  file ${weightFile}
  weight 10
  init_file 2
}
vrrp_instance VI_1 {
  interface cfg0
  virtual_router_id 1
  priority 100
  track_script {
    chk
  }
  track_file {
    tf
  }
  track_interface {
    cfg0
  }
  notify "${notify} extra"
  virtual_ipaddress {
    10.0.0.1/24
  }
}
`;
    const loaded = loadConfigText(text, 'keepalived.conf', { system: null });
    const plan = planTracking(loaded.config);
    const statuses = new Map<string, TrackerStatus>();
    const built = await buildTracking(plan, {
      runner: new ScriptRunner(),
      context: { accounts: readAccounts(), enableScriptSecurity: true, scriptUser: loaded.config.global.scriptUser, self: { user: 'root', uid: 0, gid: 0 } },
      sink: (instance, status) => statuses.set(`${instance}/${status.name}`, status),
      linkEvents: events,
      listLinks: () => listLinks(socket),
    });
    const fifoCopy = () => (existsSync(join(notifyLog, 'fifo-copy')) ? readFileSync(join(notifyLog, 'fifo-copy'), 'utf8') : '');
    try {
      expect(built.problems).toEqual([]);
      built.trackers.start();
      const priority = () => evaluatePriority(100, [...statuses.values()]);
      await until(() => statuses.size === 3 && priority().effectivePriority === 120);
      expect(readFileSync(weightFile, 'utf8')).toBe('2\n');
      expect(priority()).toMatchObject({ effectivePriority: 120, faults: [] });

      writeFileSync(codeFile, '1');
      await until(() => priority().effectivePriority === 90);
      expect(priority().effectivePriority).toBe(90);

      ip(ns, 'link', 'set', 'cfg0', 'down');
      await until(() => priority().faults.length === 1);
      expect(priority().faults).toEqual(['cfg0 failing']);

      built.notifier.instanceTransition('VI_1', 'FAULT', 90);
      await built.notifier.idle();
      expect(readFileSync(join(notifyLog, 'notify'), 'utf8')).toBe('65534 extra INSTANCE VI_1 FAULT 90\n');
      await until(() => fifoCopy().length > 0);
      expect(fifoCopy()).toBe('INSTANCE "VI_1" FAULT 90\n');
      expect(statSync(fifo).uid).toBe(65534);
    } finally {
      await built.close();
    }
    expect(existsSync(fifo)).toBe(false);
  });
});
