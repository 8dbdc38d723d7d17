// Pid files as keepalived keeps them: one per process (-p parent, -r VRRP, -c checkers), refusing
// to start when a live process already holds the file, and removed on a clean exit.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export const DEFAULT_PID_FILES = {
  parent: '/run/keepalived-ts.pid',
  vrrp: '/run/keepalived-ts_vrrp.pid',
  check: '/run/keepalived-ts_checkers.pid',
} as const;

/** The pid recorded in `path` when that process is still alive, else undefined. */
export function livePidIn(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

export class PidFileInUseError extends Error {
  readonly code = 'KTS_PIDFILE_IN_USE';
  constructor(readonly path: string, readonly pid: number) {
    super(`daemon is already running: pid file ${path} belongs to live process ${pid}`);
  }
}

/** Writes our pid atomically (temp file + rename). Throws PidFileInUseError if a live process owns it. */
export function writePidFile(path: string, pid = process.pid): void {
  const holder = livePidIn(path);
  if (holder !== undefined && holder !== pid) throw new PidFileInUseError(path, holder);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, `${pid}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Removes the pid file if it still names `pid` (a successor may have taken it over). */
export function removePidFile(path: string, pid = process.pid): void {
  try {
    if (Number.parseInt(readFileSync(path, 'utf8').trim(), 10) === pid) unlinkSync(path);
  } catch {
    // already gone
  }
}
