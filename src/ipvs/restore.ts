// Applies parsed ipvsadm rules all or nothing. Every request is sent at once (the kernel runs one
// socket's requests in order, so "-A" still precedes its "-a" lines); if any fails, the table is
// put back to the snapshot taken before, and the error names the rule's line.
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

/** Replaces whatever the kernel has with `table` (services, destinations, their settings). */
export async function replaceTable(client: IpvsClient, table: readonly ServiceEntry[]): Promise<void> {
  await client.flush();
  await Promise.all(table.flatMap(({ service, destinations }) => [
    client.addService(service),
    ...destinations.map((destination) => client.addDestination(service, destination)),
  ]));
}

/** Applies the rules in order; on the first failure restores the previous table and throws RestoreError. */
export async function applyRules(client: IpvsClient, rules: readonly { readonly line: number; readonly rule: Rule }[]): Promise<void> {
  const snapshot = await client.table();
  const outcomes = await Promise.allSettled(rules.map(({ rule }) => applyRule(client, rule)));
  const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
  if (failed < 0) return;
  const cause = (outcomes[failed] as PromiseRejectedResult).reason;
  try {
    await replaceTable(client, snapshot);
  } catch (rollbackError) {
    throw new RestoreError(rules[failed]!.line, cause, rollbackError);
  }
  throw new RestoreError(rules[failed]!.line, cause);
}
