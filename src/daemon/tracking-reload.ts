// What a HUP changes in the VRRP process' trackers and notifications, decided purely from the
// old and new tracking plans (../vrrp/trackers/from-config.ts):
//   - trackingPlanKey: equal keys mean nothing to rebuild (scripts, interfaces, files, processes,
//     their weights per instance, notify scripts and FIFOs all unchanged);
//   - changedTrackerNames: trackers whose own definition changed (script line, interval, rise,
//     fall, file path...): their state starts again from its initial value. A tracker whose only
//     change is who tracks it with what weight keeps its up/down state;
//   - mergeTrackerStatuses: the tracker set a running (kept) instance gets after the rebuild.
import type { TrackingPlan } from '../vrrp/trackers/from-config.js';
import type { TrackerStatus } from '../vrrp/priority.js';

/** Maps and regular expressions (process matches) spelled out, so JSON tells plans apart. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()];
  if (value instanceof RegExp) return value.toString();
  return value;
}

export function trackingPlanKey(plan: TrackingPlan): string {
  // Problems are log lines, not behaviour.
  return JSON.stringify({ ...plan, problems: undefined }, replacer);
}

type TrackerPlan = TrackingPlan['scripts'][number] | TrackingPlan['interfaces'][number] | TrackingPlan['files'][number] | TrackingPlan['processes'][number];

function definitions(plan: TrackingPlan): Map<string, string> {
  const out = new Map<string, string>();
  const all: readonly (readonly TrackerPlan[])[] = [plan.scripts, plan.interfaces, plan.files, plan.processes];
  for (const [kind, list] of all.entries()) {
    for (const { links: _links, ...definition } of list) out.set(definition.name, `${kind}:${JSON.stringify(definition, replacer)}`);
  }
  return out;
}

/** Names of trackers added, removed, or whose own definition (not their links) changed. */
export function changedTrackerNames(previous: TrackingPlan, next: TrackingPlan): ReadonlySet<string> {
  const before = definitions(previous);
  const after = definitions(next);
  const changed = new Set<string>();
  for (const [name, definition] of after) if (before.get(name) !== definition) changed.add(name);
  for (const name of before.keys()) if (!after.has(name)) changed.add(name);
  return changed;
}

/**
 * A kept instance's trackers after a rebuild: the new set (`fresh`, with the new weights), where an
 * unchanged tracker keeps the up/down state it had (`current`) instead of restarting from its
 * initial state, which could move the priority and cause a transition nothing justified.
 */
export function mergeTrackerStatuses(current: readonly TrackerStatus[], fresh: readonly TrackerStatus[], changed: ReadonlySet<string>): TrackerStatus[] {
  const known = new Map(current.map((s) => [s.name, s]));
  return fresh.map((status) => {
    const before = known.get(status.name);
    return before === undefined || changed.has(status.name) ? status : { ...status, up: before.up };
  });
}
