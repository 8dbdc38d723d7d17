// A throwaway network namespace for checker tests: created with iproute2, entered by this
// process (so every server and checker of the test file lives on its loopback and links), and
// left and deleted afterwards.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { native } from '../../../src/sys/native.js';
import { CLONE_NEWNET } from '../../../src/sys/constants.js';
import { enterNetworkNamespace } from '../../../src/sys/interfaces.js';

export interface TestNamespace {
  readonly name: string;
  /** Runs `ip -n NAME ...args`. */
  ip(...args: string[]): string;
  /** Returns this process to the namespace it came from and deletes this one. */
  dispose(): void;
}

export function enterTestNamespace(name: string): TestNamespace {
  // A namespace left by a killed earlier run is removed first.
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // There was none.
  }
  return createAndEnter(name);
}

function createAndEnter(name: string): TestNamespace {
  execFileSync('ip', ['netns', 'add', name]);
  const ip = (...args: string[]): string => execFileSync('ip', ['-n', name, ...args]).toString();
  const original = openSync('/proc/self/ns/net', 'r');
  try {
    ip('link', 'set', 'lo', 'up');
    enterNetworkNamespace(name);
  } catch (error) {
    closeSync(original);
    execFileSync('ip', ['netns', 'del', name]);
    throw error;
  }
  return {
    name,
    ip,
    dispose: () => {
      try {
        native().setns(original, CLONE_NEWNET);
      } finally {
        closeSync(original);
        execFileSync('ip', ['netns', 'del', name]);
      }
    },
  };
}
