// The VRRP process' trackers and notifications (src/vrrp/trackers, src/vrrp/notify*), wired to the
// runtime's seams: tracker statuses go to runtime.updateTracker (the ones known at start are fed
// before an instance's startup), transitions (of instances and sync groups) and lower-priority
// adverts go to the Notifier, which runs notify scripts and writes notify FIFOs. Built once from
// the config at start.
import { userInfo } from 'node:os';
import type { Logger } from '../common/logger.js';
import { ScriptRunner } from '../common/script-runner.js';
import { readAccounts } from '../common/script-user.js';
import type { Config } from '../config/model.js';
import { listLinks } from '../netlink/route/link.js';
import { RouteEvents } from '../netlink/route/events.js';
import { openRouteSocket } from '../netlink/route/index.js';
import { buildTracking, planTracking, type BuiltTracking, type NotifySettings, type TrackingPlan } from '../vrrp/trackers/from-config.js';
import type { TrackerStatus } from '../vrrp/priority.js';
import type { VrrpRuntimeOptions } from '../vrrp/runtime/index.js';
import type { VrrpStateName } from '../vrrp/types.js';

/** How long stop waits for the notify scripts of the STOP transitions (keepalived waits for none). */
const NOTIFY_DRAIN_MS = 2000;

export interface VrrpTracking {
  /** The runtime options that connect it: initialTrackers, onTransition, onMasterReceivedLowerPriority. */
  readonly runtimeOptions: Pick<VrrpRuntimeOptions, 'initialTrackers' | 'onTransition' | 'onMasterReceivedLowerPriority' | 'onGroupTransition' | 'onPriorityChanged' | 'onInstanceRemoving'>;
  /** Starts the trackers once the runtime exists; their changes go to `sink`. */
  start(sink: (instance: string, status: TrackerStatus) => void): void;
  /** Lets the STOP notifications run (bounded), then stops trackers and closes FIFOs and sockets. */
  close(): Promise<void>;
  /** The sync groups' states written to the notify FIFOs again (fifo_write_vrrp_states_on_reload). */
  writeGroupStates(states: Iterable<readonly [string, VrrpStateName]>): void;
}

/**
 * `retiredNotify`: notify settings of instances a reload is removing, so that their DELETED
 * notification still runs their scripts (the new config no longer has them).
 */
export async function buildVrrpTracking(config: Config, logger: Logger, retiredNotify?: ReadonlyMap<string, NotifySettings>): Promise<VrrpTracking> {
  const netlink = openRouteSocket();
  const events = RouteEvents.open({ links: true, addresses: false });
  let sink: ((instance: string, status: TrackerStatus) => void) | undefined;
  let built: BuiltTracking;
  try {
    built = await buildTracking(withRetiredNotify(planTracking(config), retiredNotify), {
      runner: new ScriptRunner(),
      context: {
        accounts: readAccounts(),
        enableScriptSecurity: config.global.enableScriptSecurity,
        ...(config.global.scriptUser === undefined ? {} : { scriptUser: config.global.scriptUser }),
        self: { user: userInfo().username, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      },
      sink: (instance, status) => sink?.(instance, status),
      linkEvents: events,
      listLinks: () => listLinks(netlink),
    });
  } catch (error) {
    events.close();
    netlink.close();
    throw error;
  }
  for (const problem of built.problems) logger.warn(problem);
  return {
    runtimeOptions: {
      initialTrackers: (name) => built.trackers.statusesOf(name),
      onTransition: (name, transition, priority) => built.notifier.instanceTransition(name, transition.to, priority),
      onMasterReceivedLowerPriority: (name, priority) => built.notifier.masterReceivedLowerPriority(name, priority),
      onGroupTransition: (group, to) => built.notifier.groupTransition(group, to),
      onPriorityChanged: (name, state, priority) => built.notifier.priorityChanged(name, state, priority),
      onInstanceRemoving: (name) => built.notifier.instanceRemoving(name),
    },
    start(onStatus) {
      sink = onStatus;
      built.trackers.start();
      built.scanner?.start();
    },
    writeGroupStates(states) {
      built.notifier.writeGroupStates(states);
    },
    async close() {
      await Promise.race([built.notifier.idle(), new Promise((resolve) => setTimeout(resolve, NOTIFY_DRAIN_MS))]);
      await built.close();
      events.close();
      netlink.close();
    },
  };
}

/** The plan with the retired instances' notify settings added (the config's own win on a name clash). */
function withRetiredNotify(plan: TrackingPlan, retired: ReadonlyMap<string, NotifySettings> | undefined): TrackingPlan {
  if (!retired || retired.size === 0) return plan;
  return { ...plan, notify: { ...plan.notify, instances: new Map([...retired, ...plan.notify.instances]) } };
}
