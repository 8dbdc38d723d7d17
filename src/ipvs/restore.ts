// Applies parsed ipvsadm rules all or nothing. Requests go out in windows of many at a time (the
// kernel runs one socket's requests in order, so "-A" still precedes its "-a" lines); if any
// fails, no further window is sent, the table is put back to the snapshot taken before, and the
// error names the rule's line.
import type { IpvsClient } from './client.js';
import type { Rule } from './text/rules.js';
import type { ServiceEntry } from './types.js';

export class RestoreError extends Error {
  readonly line: number;
  override readonly cause: unknown;
  /** False when putting the old table back failed too (then `rollbackError` says why). */
  readonly rolledBack: boolean;
  readonly rollbackError: unknown;

  constructor(line: number, cause: unknown, rollbackError?: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const state = rollbackError === undefined
      ? 'nothing was changed'
      : `AND restoring the previous table failed: ${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}`;
    super(`line ${line}: ${reason}; ${state}`);
    this.name = 'RestoreError';
    this.line = line;
    this.cause = cause;
    this.rolledBack = rollbackError === undefined;
    this.rollbackError = rollbackError;
  }
}

function applyRule(client: IpvsClient, rule: Rule): Promise<void> {
  switch (rule.kind) {
    case 'add-service':
      return client.addService(rule.service);
    case 'edit-service':
      return client.editService(rule.service);
    case 'delete-service':
      return client.deleteService(rule.service);
    case 'clear':
      return client.flush();
    case 'add-destination':
      return client.addDestination(rule.service, rule.destination);
    case 'edit-destination':
      return client.editDestination(rule.service, rule.destination);
    case 'delete-destination':
      return client.deleteDestination(rule.service, rule.destination);
  }
}

/**
 * Requests encoded and sent per window. Building all of 10,000 at once would hold the event loop
 * long enough (seconds in an emulated guest) for the first requests' reply timers to expire
 * before their replies are read.
 */
const WINDOW = 256;

/**
 * Runs `apply` on every item in order, WINDOW at a time, and stops after the window where one
 * first fails: returns that item's index and error, or null when all succeeded.
 */
export async function applyInWindows<T>(items: readonly T[], apply: (item: T) => Promise<void>): Promise<{ index: number; reason: unknown } | null> {
  for (let start = 0; start < items.length; start += WINDOW) {
    const outcomes = await Promise.allSettled(items.slice(start, start + WINDOW).map(apply));
    const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
    if (failed >= 0) return { index: start + failed, reason: (outcomes[failed] as PromiseRejectedResult).reason };
  }
  return null;
}

/** Replaces whatever the kernel has with `table` (services, destinations, their settings). */
export async function replaceTable(client: IpvsClient, table: readonly ServiceEntry[]): Promise<void> {
  await client.flush();
  const requests = table.flatMap(({ service, destinations }) => [
    () => client.addService(service),
    ...destinations.map((destination) => () => client.addDestination(service, destination)),
  ]);
  const failure = await applyInWindows(requests, (request) => request());
  if (failure) throw failure.reason;
}

/** Applies the rules in order; on the first failure restores the previous table and throws RestoreError. */
export async function applyRules(client: IpvsClient, rules: readonly { readonly line: number; readonly rule: Rule }[]): Promise<void> {
  const snapshot = await client.table();
  const failure = await applyInWindows(rules, ({ rule }) => applyRule(client, rule));
  if (!failure) return;
  const { line } = rules[failure.index]!;
  try {
    await replaceTable(client, snapshot);
  } catch (rollbackError) {
    throw new RestoreError(line, failure.reason, rollbackError);
  }
  throw new RestoreError(line, failure.reason);
}
