// How the supervisor starts a child: the file it forks is the one-file esbuild bundle of its entry
// (scripts/build-bundle.mjs) when it is at least as new as tsc's output, else the compiled entry
// itself. One file starts markedly faster than ~60 ES modules (a cold start's critical path);
// a bundle older than dist/ would run stale code, as bin/keepalived-ts also checks for the CLI.
// Where a V8 startup snapshot of the entry exists (scripts/build-snapshot.mjs: the VRRP child), Node
// starts from it instead of reading the file: only if it is at least as new as the file chosen
// and this very Node built it (a blob from another build would not load).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ChildLaunch {
  /** The file forked (with a snapshot, it is only process.argv[1]: the snapshot's code runs). */
  readonly modulePath: string;
  /** Node's flags for the child: this process' own, plus --snapshot-blob when one is used. */
  readonly execArgv: readonly string[];
}

/** Who built a snapshot (the .snapshot.json beside it). */
export interface SnapshotStamp {
  readonly node: string;
  readonly arch: string;
  readonly execPath: string;
}

/** The bundle's name for an entry module: `vrrp-process.js` -> `vrrp-process.bundle.js`. */
export function bundleNameOf(entry: string): string {
  return entry.replace(/\.js$/, '.bundle.js');
}

/** The snapshot's name for an entry module: `vrrp-process.js` -> `vrrp-process.snapshot.blob`. */
export function snapshotNameOf(entry: string): string {
  return entry.replace(/\.js$/, '.snapshot.blob');
}

/**
 * Path of the child entry `entry` (a file name in dist/daemon/). Resolved through `../daemon/` so
 * that it is the same from dist/daemon/ and from the CLI bundle in dist/cli/.
 */
export function childEntryPath(entry: string): string {
  const compiled = fileURLToPath(new URL(`../daemon/${entry}`, import.meta.url));
  const bundled = fileURLToPath(new URL(`../daemon/${bundleNameOf(entry)}`, import.meta.url));
  return preferFreshBundle(bundled, compiled);
}

/** The file and Node flags to fork the child entry `entry` with. */
export function childLaunch(entry: string): ChildLaunch {
  const modulePath = childEntryPath(entry);
  const snapshot = fileURLToPath(new URL(`../daemon/${snapshotNameOf(entry)}`, import.meta.url));
  const usable = isFresh(snapshot, modulePath) && stampMatches(readStamp(snapshot.replace(/\.blob$/, '.json')), process);
  return { modulePath, execArgv: usable ? [...process.execArgv, '--snapshot-blob', snapshot] : [...process.execArgv] };
}

/** `bundled` if it exists and is at least as new as `compiled`, else `compiled`. */
export function preferFreshBundle(bundled: string, compiled: string): string {
  return isFresh(bundled, compiled) ? bundled : compiled;
}

/** Whether a snapshot stamped `stamp` loads in `node` (same version, architecture and binary). */
export function stampMatches(stamp: SnapshotStamp | undefined, node: { readonly version: string; readonly arch: string; readonly execPath: string }): boolean {
  return stamp !== undefined && stamp.node === node.version && stamp.arch === node.arch && stamp.execPath === node.execPath;
}

function readStamp(path: string): SnapshotStamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SnapshotStamp;
  } catch {
    return undefined;
  }
}

function isFresh(derived: string, source: string): boolean {
  try {
    return statSync(derived).mtimeMs >= statSync(source).mtimeMs;
  } catch {
    return false;
  }
}
