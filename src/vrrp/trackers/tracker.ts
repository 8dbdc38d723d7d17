// What every tracker (vrrp_script, track_interface, track_file, track_process) has in common, and
// how one tracked object's state becomes the TrackerStatus an instance feeds to evaluatePriority
// (../priority.ts). A tracker knows nothing about instances: each instance that
// tracks it has its own weight and reverse (the track_* line, else the object's default), so the
// same state maps to a different status per instance.
//
// Wiring in the VRRP runtime (tracking.ts does this for a whole config):
//   tracker.on('change', (state) => {
//     for (const link of linksOf(tracker.name)) runtime.updateTracker(link.instance, toTrackerStatus(state, link));
//   });
//   for (const link of linksOf(tracker.name)) runtime.updateTracker(link.instance, toTrackerStatus(tracker.state, link));
//   tracker.start();  ...  tracker.stop();
import type { TrackerStatus } from '../priority.js';

/** A script, interface or process is up or not; a track_file holds a number. */
export type TrackerState =
  | { readonly name: string; readonly up: boolean }
  | { readonly name: string; readonly value: number };

export interface TrackerEvents {
  /** The state changed (never emitted for a repeat of the same state). */
  change: [state: TrackerState];
}

export interface Tracker {
  readonly name: string;
  on(event: 'change', listener: (...args: TrackerEvents['change']) => void): unknown;
  off(event: 'change', listener: (...args: TrackerEvents['change']) => void): unknown;
  /** Known from construction (initial assumption) and updated before every 'change'. */
  readonly state: TrackerState;
  start(): void;
  stop(): void;
}

/** How one instance or sync group tracks an object. */
export interface TrackingLink {
  /** vrrp_instance name (a sync group's own track_* lines are given once per member). */
  readonly instance: string;
  readonly weight: number;
  readonly reverse: boolean;
}

/** Below this, a track_file result puts the instance in FAULT (keepalived.conf(5), "Track files"). */
export const TRACK_FILE_FAULT_BELOW = -253;

export function toTrackerStatus(state: TrackerState, link: TrackingLink): TrackerStatus {
  if ('up' in state) return { name: state.name, weight: link.weight, reverse: link.reverse, up: state.up };
  return trackFileStatus(state.name, state.value, link.weight, link.reverse);
}

/**
 * A track_file value as a TrackerStatus with a dynamic weight (measured on keepalived 2.2.7):
 *   weight 0: a non-zero value is a failure (FAULT); `reverse` makes zero the failure;
 *   otherwise value × weight (negated by `reverse`) is added to the priority, and a result below
 *   -253 is a FAULT.
 * evaluatePriority adds a positive weight while up and a negative one while down, and treats weight
 * 0 as "FAULT unless up", so the status is shaped accordingly.
 */
export function trackFileStatus(name: string, value: number, weight: number, reverse: boolean): TrackerStatus {
  const ok = { name, weight: 0, reverse: false, up: true };
  const fault = { name, weight: 0, reverse: false, up: false };
  if (weight === 0) return (value !== 0) !== reverse ? fault : ok;
  const amount = value * weight * (reverse ? -1 : 1);
  if (amount < TRACK_FILE_FAULT_BELOW) return fault;
  if (amount === 0) return ok;
  return { name, weight: amount, reverse: false, up: amount > 0 };
}
