// Applies parsed ipvsadm rules all or nothing: the rules go to the kernel in order, packed many
// to a datagram (IpvsClient.apply); if the kernel refuses one, the table is put back to the
// snapshot taken before, and the error names the rule's line.
import type { IpvsChange, IpvsClient } from './client.js';
import type { IpvsError } from './errors.js';
import type { Rule } from './text/rules.js';
import type { ServiceEntry } from './types.js';

export class RestoreError extends Error {
  readonly line: number;
  override readonly cause: IpvsError;
  /** False when putting the old table back failed too (then `rollbackError` says why). */
  readonly rolledBack: boolean;
  readonly rollbackError: unknown;

  constructor(line: number, cause: IpvsError, rollbackError?: unknown) {
    const state = rollbackError === undefined
      ? 'nothing was changed'
      : `AND restoring the previous table failed: ${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}`;
    super(`line ${line}: ${cause.message}; ${state}`);
    this.name = 'RestoreError';
    this.line = line;
    this.cause = cause;
    this.rolledBack = rollbackError === undefined;
    this.rollbackError = rollbackError;
  }
}

const CHANGE_KIND = {
  'add-service': 'addService',
  'edit-service': 'editService',
  'delete-service': 'deleteService',
  clear: 'flush',
  'add-destination': 'addDestination',
  'edit-destination': 'editDestination',
  'delete-destination': 'deleteDestination',
} as const;

/** The client change a restore rule asks for. */
export function ruleChange(rule: Rule): IpvsChange {
  return { ...rule, kind: CHANGE_KIND[rule.kind] } as IpvsChange;
}

/** Replaces whatever the kernel has with `table` (services, destinations, their settings). */
export async function replaceTable(client: IpvsClient, table: readonly ServiceEntry[]): Promise<void> {
  const failure = await client.apply([
    { kind: 'flush' },
    ...table.flatMap(({ service, destinations }): IpvsChange[] => [
      { kind: 'addService', service },
      ...destinations.map((destination): IpvsChange => ({ kind: 'addDestination', service, destination })),
    ]),
  ]);
  if (failure) throw failure.error;
}

/** Applies the rules in order; on the first refusal restores the previous table and throws RestoreError. */
export async function applyRules(client: IpvsClient, rules: readonly { readonly line: number; readonly rule: Rule }[]): Promise<void> {
  const snapshot = await client.table();
  const failure = await client.apply(rules.map(({ rule }) => ruleChange(rule)));
  if (!failure) return;
  const { line } = rules[failure.index]!;
  try {
    await replaceTable(client, snapshot);
  } catch (rollbackError) {
    throw new RestoreError(line, failure.error, rollbackError);
  }
  throw new RestoreError(line, failure.error);
}
