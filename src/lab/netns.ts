// Entering a named network namespace for one synchronous call, and coming back. Sockets opened
// inside keep living in that namespace, so one lab process watches every director's addresses.
import { closeSync, openSync } from 'node:fs';
import { CLONE_NEWNET } from '../sys/constants.js';
import { native } from '../sys/native.js';

let homeDescriptor: number | undefined;

/**
 * Runs `open` with this thread inside `namespace`, then moves it back to the namespace the process
 * started in. `open` must be synchronous: only the thread moves, and only for this call.
 */
export function inNamespace<T>(namespace: string, open: () => T): T {
  // The way home is a descriptor of our own namespace, taken once before the first move.
  homeDescriptor ??= openSync('/proc/self/ns/net', 'r');
  const target = openSync(`/run/netns/${namespace}`, 'r');
  try {
    native().setns(target, CLONE_NEWNET);
  } finally {
    closeSync(target);
  }
  try {
    return open();
  } finally {
    native().setns(homeDescriptor, CLONE_NEWNET);
  }
}
