// Pure arithmetic over the timestamps the lab's observers collect (milliseconds since the epoch,
// fractional): traffic gaps, first events after a fault, medians.

/** Now, in fractional milliseconds since the epoch: comparable with ping -D and tcpdump -tt. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The longest stretch without a successful reply inside [from, to]: measured from the last reply
 * before `from` (or `from` itself) through each reply up to `to`, and to `to` when replies stop.
 * Times must be ascending.
 */
export function longestGap(replies: readonly number[], from: number, to: number): number {
  let previous = from;
  for (const time of replies) {
    if (time < from) previous = time;
    else break;
  }
  let longest = 0;
  for (const time of replies) {
    if (time < from) continue;
    if (time > to) break;
    longest = Math.max(longest, time - previous);
    previous = time;
  }
  return Math.max(longest, to - previous);
}

/** The first time at or after `from`, or undefined. */
export function firstAtOrAfter(times: readonly number[], from: number): number | undefined {
  return times.find((time) => time >= from);
}

/** Median of the defined values (lower middle for even counts); undefined when none. */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined).sort((a, b) => a - b);
  if (defined.length === 0) return undefined;
  return defined[Math.floor((defined.length - 1) / 2)];
}
