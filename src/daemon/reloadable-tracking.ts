// The VRRP process' trackers and notifications across reloads: the runtime is given callbacks
// that go to whichever VrrpTracking is current, and a HUP whose tracking plan differs (a changed
// vrrp_script, track_* line or notify setting) replaces it: the old one is closed first (its
// notify scripts drained, its trackers stopped, its FIFOs closed, since the new one reopens the
// same paths), the new one built from the new config, and every kept instance is given its new
// tracker set (tracking-reload.ts decides which up/down states carry over). A plan that did not
// change keeps the running trackers untouched.
//
//   const tracking = await ReloadableTracking.build(config, logger);
//   VrrpRuntime.start({ ..., ...tracking.runtimeOptions });
//   tracking.start({ update: (i, s) => runtime.updateTracker(i, s), replace: (i, all) => runtime.replaceTrackers(i, all) });
//   await tracking.reload(newConfig, () => runtime.reload(defs).then((r) => r.kept));
import type { VrrpStateName } from '../vrrp/types.js';
import type { Logger } from '../common/logger.js';
import type { Config } from '../config/model.js';
import type { TrackerStatus } from '../vrrp/priority.js';
import { planTracking, type TrackingPlan } from '../vrrp/trackers/from-config.js';
import { changedTrackerNames, mergeTrackerStatuses, trackingPlanKey } from './tracking-reload.js';
import { buildVrrpTracking, type VrrpTracking } from './vrrp-tracking.js';

export interface TrackingSinks {
  /** One tracker's new status for an instance. */
  readonly update: (instance: string, status: TrackerStatus) => void;
  /** An instance's whole tracker set after a rebuild. */
  readonly replace: (instance: string, statuses: readonly TrackerStatus[]) => void;
}

export class ReloadableTracking {
  #current: VrrpTracking;
  #config: Config;
  #plan: TrackingPlan;
  #sinks: TrackingSinks | undefined;

  private constructor(current: VrrpTracking, config: Config, private readonly logger: Logger) {
    this.#current = current;
    this.#config = config;
    this.#plan = planTracking(config);
  }

  static async build(config: Config, logger: Logger): Promise<ReloadableTracking> {
    return new ReloadableTracking(await buildVrrpTracking(config, logger), config, logger);
  }

  /** Runtime options that always reach the current tracking. */
  readonly runtimeOptions: VrrpTracking['runtimeOptions'] = {
    initialTrackers: (name) => this.#current.runtimeOptions.initialTrackers?.(name) ?? [],
    onTransition: (...args) => this.#current.runtimeOptions.onTransition?.(...args),
    onMasterReceivedLowerPriority: (...args) => this.#current.runtimeOptions.onMasterReceivedLowerPriority?.(...args),
    onGroupTransition: (...args) => this.#current.runtimeOptions.onGroupTransition?.(...args),
    onPriorityChanged: (...args) => this.#current.runtimeOptions.onPriorityChanged?.(...args),
    onInstanceRemoving: (...args) => this.#current.runtimeOptions.onInstanceRemoving?.(...args),
  };

  start(sinks: TrackingSinks): void {
    this.#sinks = sinks;
    this.#startCurrent();
  }

  /**
   * Applies `config`'s trackers and notify settings around `reloadInstances` (which restarts the
   * changed instances and resolves with the names of the kept ones). Returns whether the
   * trackers were rebuilt.
   */
  async reload(config: Config, reloadInstances: () => Promise<readonly string[]>): Promise<boolean> {
    const plan = planTracking(config);
    if (trackingPlanKey(plan) === trackingPlanKey(this.#plan)) {
      await reloadInstances();
      return false;
    }
    const previous = this.#current;
    const changed = changedTrackerNames(this.#plan, plan);
    const before = (name: string): readonly TrackerStatus[] => previous.runtimeOptions.initialTrackers?.(name) ?? [];
    await previous.close();
    try {
      // Instances the new config drops still need their notify settings for their DELETED.
      const kept = new Set(config.vrrpInstances.map((i) => i.name));
      const retired = new Map([...this.#plan.notify.instances].filter(([name]) => !kept.has(name)));
      this.#current = await buildVrrpTracking(config, this.logger, retired);
    } catch (error) {
      // The instances are not reloaded either: the old trackers come back as they were configured.
      this.logger.error({ err: error }, `cannot build the new trackers (${(error as Error).message}): keeping the old configuration's`);
      this.#current = await buildVrrpTracking(this.#config, this.logger);
      this.#startCurrent();
      throw error;
    }
    this.#config = config;
    this.#plan = plan;
    // Restarted instances take the new tracking's initial statuses through runtimeOptions.
    const kept = await reloadInstances();
    for (const name of kept) this.#sinks?.replace(name, mergeTrackerStatuses(before(name), this.runtimeOptions.initialTrackers?.(name) ?? [], changed));
    this.#startCurrent();
    this.logger.info(`Trackers and notify settings re-read${changed.size > 0 ? ` (restarted: ${[...changed].join(', ')})` : ''}`);
    return true;
  }

  close(): Promise<void> {
    return this.#current.close();
  }

  writeGroupStates(states: Iterable<readonly [string, VrrpStateName]>): void {
    this.#current.writeGroupStates(states);
  }

  #startCurrent(): void {
    const tracking = this.#current;
    // A replaced tracking's late reports are ignored.
    tracking.start((instance, status) => {
      if (tracking === this.#current) this.#sinks?.update(instance, status);
    });
  }
}
