// Interface name → index, and entering a named network namespace (keepalived's -s/--namespace).
import { openSync, closeSync } from 'node:fs';
import { native } from './native.js';
import { CLONE_NEWNET } from './constants.js';

/** The interface's index, or undefined when it does not exist in this namespace. */
export function interfaceIndex(name: string): number | undefined {
  const index = native().ifNameToIndex(name);
  return index === 0 ? undefined : index;
}

/**
 * Moves this thread into the named network namespace (as `ip netns exec` would). Only sockets
 * created after the call live there; call it before opening any.
 */
export function enterNetworkNamespace(name: string): void {
  const fd = openSync(`/run/netns/${name}`, 'r');
  try {
    native().setns(fd, CLONE_NEWNET);
  } finally {
    closeSync(fd);
  }
}
