// Names of everything one lab run creates. Every namespace and temp dir starts with LAB_PREFIX
// and the run id, so a run (or `lab --down`) removes exactly what the lab made and nothing else.
import { randomBytes } from 'node:crypto';

/** The lab's own prefix: distinct from the test suites' prefixes, cleaned only by the lab. */
export const LAB_PREFIX = 'kts-lab-';

/** Short and unique enough for concurrent runs: the pid plus two random bytes, base 36. */
export function newRunId(): string {
  return `${process.pid.toString(36)}${randomBytes(2).readUInt16BE(0).toString(36)}`;
}

/** `kts-lab-<run>-<role>`: role is a director id (lb1), rs1, client or br. */
export function namespaceName(runId: string, role: string, prefix = LAB_PREFIX): string {
  return `${prefix}${runId}-${role}`;
}

/** The run id a lab namespace or temp dir belongs to, or undefined when it is not the lab's. */
export function runIdOf(name: string): string | undefined {
  if (!name.startsWith(LAB_PREFIX)) return undefined;
  return /^([0-9a-z]+)-/.exec(name.slice(LAB_PREFIX.length))?.[1];
}
