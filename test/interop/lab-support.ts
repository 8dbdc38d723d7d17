// Helpers for the lab's end-to-end tests: run `keepalived-ts lab` as a user would, and check the
// host holds nothing the lab made once it has exited.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BINARY = join(import.meta.dirname, '..', '..', 'bin', 'keepalived-ts');
const PREFIX = 'kts-lab-';

export interface LabRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the lab with `args`. `interrupt`, when given, is sent once a progress line matching
 * `when` has appeared on stderr.
 */
export function runLabCli(args: readonly string[], interrupt?: { signal: NodeJS.Signals; when: RegExp }): Promise<LabRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, 'lab', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (interrupt && !sent && interrupt.when.test(stderr)) {
        sent = true;
        child.kill(interrupt.signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** What the lab could leave behind; empty lists when the host is clean. */
export function labLeftovers(): { namespaces: string[]; directories: string[]; processes: string[] } {
  const namespaces = existsSync('/run/netns') ? readdirSync('/run/netns').filter((name) => name.startsWith(PREFIX)) : [];
  const directories = readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX));
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue;
    }
    // Every process the lab starts has one of these in its command line.
    if (/kts-lab-|http-responder\.js|http-prober\.js|ping -D -n -i 0\.01|tcpdump -i \S+ -n -e -tt/.test(command)) processes.push(`${pid} ${command}`);
  }
  return { namespaces, directories, processes };
}

/** Polls labLeftovers until it is empty or `timeoutMs` passed (killed processes take a moment to go). */
export async function settledLeftovers(timeoutMs = 3_000): Promise<ReturnType<typeof labLeftovers>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = labLeftovers();
    const empty = left.namespaces.length + left.directories.length + left.processes.length === 0;
    if (empty || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const CLEAN = { namespaces: [], directories: [], processes: [] };
