// Applies parsed ipvsadm rules all or nothing. Requests are pipelined, many in flight (the kernel
// runs one socket's requests in the order sent, so "-A" still precedes its "-a" lines); if any
// fails, no further one is sent, the table is put back to the snapshot taken before, and the
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
 * Requests in flight at once. Keeping a bounded number outstanding, rather than building all of
 * 10,000 at once, lets replies be read as they come: one long synchronous burst would hold the
 * event loop long enough (seconds in an emulated guest) for the first replies' timers to expire.
 */
const IN_FLIGHT = 256;

/**
 * Runs `apply` on every item, sent in order with up to IN_FLIGHT outstanding; after a failure no
 * further item is started. Returns the first failing item's index and error, or null.
 */
export async function applyPipelined<T>(items: readonly T[], apply: (item: T) => Promise<void>): Promise<{ index: number; reason: unknown } | null> {
  let next = 0;
  const failed: { index: number; reason: unknown }[] = [];
  const lane = async () => {
    while (failed.length === 0 && next < items.length) {
      const index = next++;
      try {
        await apply(items[index]!);
      } catch (reason) {
        failed.push({ index, reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, lane));
  return failed.sort((a, b) => a.index - b.index)[0] ?? null;
}

/** Replaces whatever the kernel has with `table` (services, destinations, their settings). */
export async function replaceTable(client: IpvsClient, table: readonly ServiceEntry[]): Promise<void> {
  await client.flush();
  const requests = table.flatMap(({ service, destinations }) => [
    () => client.addService(service),
    ...destinations.map((destination) => () => client.addDestination(service, destination)),
  ]);
  const failure = await applyPipelined(requests, (request) => request());
  if (failure) throw failure.reason;
}

/** Applies the rules in order; on the first failure restores the previous table and throws RestoreError. */
export async function applyRules(client: IpvsClient, rules: readonly { readonly line: number; readonly rule: Rule }[]): Promise<void> {
  const snapshot = await client.table();
  const failure = await applyPipelined(rules, ({ rule }) => applyRule(client, rule));
  if (!failure) return;
  const { line } = rules[failure.index]!;
  try {
    await replaceTable(client, snapshot);
  } catch (rollbackError) {
    throw new RestoreError(line, failure.reason, rollbackError);
  }
  throw new RestoreError(line, failure.reason);
}
