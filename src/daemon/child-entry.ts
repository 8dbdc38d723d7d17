// Which file the supervisor forks for a child: the one-file esbuild bundle of its entry
// (scripts/build-bundle.mjs) when it is at least as new as tsc's output, else the compiled entry
// itself. One file starts markedly faster than ~60 ES modules (a cold start's critical path);
// a bundle older than dist/ would run stale code, as bin/keepalived-ts also checks for the CLI.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundle's name for an entry module: `vrrp-process.js` -> `vrrp-process.bundle.js`. */
export function bundleNameOf(entry: string): string {
  return entry.replace(/\.js$/, '.bundle.js');
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

/** `bundled` if it exists and is at least as new as `compiled`, else `compiled`. */
export function preferFreshBundle(bundled: string, compiled: string): string {
  return isFresh(bundled, compiled) ? bundled : compiled;
}

function isFresh(bundled: string, compiled: string): boolean {
  try {
    return statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs;
  } catch {
    return false;
  }
}
