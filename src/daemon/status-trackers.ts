// What the status output needs about trackers and the runtime does not keep: each tracker's last
// status per instance and since when (wall clock) it has been in it, so `status` can say
// "-30: chk_nginx failing since 12:03:11". Fed from the same seam as runtime.updateTracker.
import type { TrackerStatus } from '../vrrp/priority.js';

export interface TrackedStatus {
  readonly status: TrackerStatus;
  /** Wall-clock ms when the tracker entered its current up/down state (or was first seen). */
  readonly sinceMs: number;
}

export class TrackerLog {
  readonly #byInstance = new Map<string, Map<string, TrackedStatus>>();

  record(instance: string, status: TrackerStatus, nowMs = Date.now()): void {
    let trackers = this.#byInstance.get(instance);
    if (trackers === undefined) {
      trackers = new Map();
      this.#byInstance.set(instance, trackers);
    }
    trackers.set(status.name, { status, sinceMs: sinceOf(trackers.get(status.name), status, nowMs) });
  }

  /** After a reload rebuilt the trackers: keeps the since-times of those whose state did not change. */
  replace(instance: string, statuses: readonly TrackerStatus[], nowMs = Date.now()): void {
    const before = this.#byInstance.get(instance);
    const trackers = new Map<string, TrackedStatus>();
    for (const status of statuses) trackers.set(status.name, { status, sinceMs: sinceOf(before?.get(status.name), status, nowMs) });
    this.#byInstance.set(instance, trackers);
  }

  of(instance: string): readonly TrackedStatus[] {
    return [...(this.#byInstance.get(instance)?.values() ?? [])];
  }
}

function sinceOf(known: TrackedStatus | undefined, status: TrackerStatus, nowMs: number): number {
  return known !== undefined && known.status.up === status.up ? known.sinceMs : nowMs;
}
