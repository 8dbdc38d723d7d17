// Effective priority of a VRRP instance from its base priority and its trackers (track_script,
// track_interface, track_file, track_process, track_bfd), with the reason for every adjustment so
// that status output can say "prio 70 (base 100, -30: chk_nginx failing)".
//
// Semantics (keepalived.conf(5), ../shared/notes/vrrp-behaviour.md):
//   weight 0      the tracker failing puts the instance in FAULT;
//   weight > 0    added while the tracker is up;
//   weight < 0    subtracted (added, being negative) while the tracker is down;
//   reverse       turns the adjustment round: a positive weight is subtracted while up, a negative
//                 one added while down, and `weight 0 reverse` faults while the tracker is up.
//   effective = clamp(base + sum of adjustments, 1, 254); an owner (base 255) ignores weights but
//   still faults on weight-0 trackers.

import { OWNER_PRIORITY } from './types.js';

export interface TrackerStatus {
  /** Script, interface, file or process name as configured. */
  readonly name: string;
  readonly weight: number;
  readonly reverse: boolean;
  /** Script succeeding (after rise/fall), interface up, process running. */
  readonly up: boolean;
}

export interface PriorityAdjustment {
  readonly tracker: string;
  /** Signed amount added to the base priority. */
  readonly amount: number;
  /** e.g. "chk_nginx failing", "eth1 up (reverse)". */
  readonly reason: string;
}

export interface PriorityEvaluation {
  readonly effectivePriority: number;
  readonly adjustments: readonly PriorityAdjustment[];
  /** Fault sources from weight-0 trackers, e.g. "chk_db failing"; empty when none. */
  readonly faults: readonly string[];
}

const MIN_PRIORITY = 1;
const MAX_NON_OWNER_PRIORITY = 254;

function describe(tracker: TrackerStatus): string {
  return `${tracker.name} ${tracker.up ? 'up' : 'failing'}${tracker.reverse ? ' (reverse)' : ''}`;
}

export function evaluatePriority(basePriority: number, trackers: readonly TrackerStatus[]): PriorityEvaluation {
  const adjustments: PriorityAdjustment[] = [];
  const faults: string[] = [];
  for (const tracker of trackers) {
    if (tracker.weight === 0) {
      if (tracker.up === tracker.reverse) faults.push(describe(tracker));
      continue;
    }
    // A positive weight counts while up, a negative one while down; reverse flips the sign only.
    const applies = tracker.weight > 0 ? tracker.up : !tracker.up;
    if (!applies) continue;
    adjustments.push({ tracker: tracker.name, amount: tracker.reverse ? -tracker.weight : tracker.weight, reason: describe(tracker) });
  }
  if (basePriority >= OWNER_PRIORITY) return { effectivePriority: OWNER_PRIORITY, adjustments: [], faults };
  const sum = adjustments.reduce((total, a) => total + a.amount, 0);
  const effectivePriority = Math.min(MAX_NON_OWNER_PRIORITY, Math.max(MIN_PRIORITY, basePriority + sum));
  return { effectivePriority, adjustments, faults };
}

/** "70 (base 100, -30: chk_nginx failing)", or "100" when nothing adjusts it. */
export function describePriority(basePriority: number, evaluation: PriorityEvaluation): string {
  if (evaluation.adjustments.length === 0 && evaluation.effectivePriority === basePriority) return String(basePriority);
  const parts = evaluation.adjustments.map((a) => `${a.amount > 0 ? '+' : ''}${a.amount}: ${a.reason}`);
  return `${evaluation.effectivePriority} (base ${basePriority}${parts.map((p) => `, ${p}`).join('')})`;
}
