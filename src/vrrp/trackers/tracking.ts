// Connects trackers to the instances that track them: every state change of a tracker becomes one
// TrackerStatus per tracking instance (its own weight and reverse, tracker.ts), handed to a sink.
// A sync group's track_* lines are given here as links of each member instance.
//
// Wiring in the VRRP runtime (from-config.ts builds the set from a Config):
//   const tracking = new TrackerSet((instance, status) => runtime.updateTracker(instance, status));
//   tracking.add(tracker, [{ instance: 'VI_1', weight: -20, reverse: false }]);
//   runtime starts its instances with tracking.statusesOf(name) as their initial trackers, then:
//   tracking.start();   ...   tracking.stop();   // on shutdown or before a reload swaps the set
import type { TrackerStatus } from '../priority.js';
import { toTrackerStatus, type Tracker, type TrackerState, type TrackingLink } from './tracker.js';

export type TrackerSink = (instance: string, status: TrackerStatus) => void;

interface Entry {
  readonly tracker: Tracker;
  readonly links: readonly TrackingLink[];
  readonly onChange: (state: TrackerState) => void;
}

export class TrackerSet {
  readonly #sink: TrackerSink;
  readonly #entries: Entry[] = [];
  #started = false;

  constructor(sink: TrackerSink) {
    this.#sink = sink;
  }

  get trackers(): readonly Tracker[] {
    return this.#entries.map((e) => e.tracker);
  }

  /** Links a tracker to its instances; its changes reach the sink from now on. */
  add(tracker: Tracker, links: readonly TrackingLink[]): void {
    const onChange = (state: TrackerState) => {
      for (const link of links) this.#sink(link.instance, toTrackerStatus(state, link));
    };
    tracker.on('change', onChange);
    this.#entries.push({ tracker, links, onChange });
    if (this.#started) tracker.start();
  }

  /** Every status an instance currently has from its trackers (its starting point). */
  statusesOf(instance: string): TrackerStatus[] {
    const statuses: TrackerStatus[] = [];
    for (const { tracker, links } of this.#entries) {
      for (const link of links) if (link.instance === instance) statuses.push(toTrackerStatus(tracker.state, link));
    }
    return statuses;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const { tracker } of this.#entries) tracker.start();
  }

  stop(): void {
    this.#started = false;
    for (const { tracker, onChange } of this.#entries) {
      tracker.stop();
      tracker.off('change', onChange);
    }
  }
}
