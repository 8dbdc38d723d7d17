// Builds a V8 startup snapshot of the VRRP child (Node's --build-snapshot): its bundled code,
// compiled and evaluated at build time, so that a child started from it skips reading, compiling
// and evaluating the ~590 KB bundle (a cold start's critical path; bench/vrrp-coldstart.mjs). The
// child's own code runs only once deserialised (src/daemon/vrrp-process.ts: vrrpChildMain), so
// nothing that opens a socket, a file or the native addon is in the snapshot.
//   dist/daemon/vrrp-process.snapshot.cjs   the script bundle the snapshot is built from
//   dist/daemon/vrrp-process.snapshot.blob  the snapshot (node --snapshot-blob F)
//   dist/daemon/vrrp-process.snapshot.json  the Node build it is for: a blob runs only on that one
// src/daemon/child-entry.ts uses the blob only when it is at least as new as the child's bundle and
// the running Node is the one that built it; otherwise the child starts from the bundle. A Node
// that cannot build snapshots leaves no blob (a warning, not a failed build).
// Run after scripts/build-bundle.mjs (`npm run build:ts` does both).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const daemonDir = join(root, 'dist', 'daemon');
const entry = join(daemonDir, 'vrrp-process.snapshot.cjs');
const blob = join(daemonDir, 'vrrp-process.snapshot.blob');
const stamp = join(daemonDir, 'vrrp-process.snapshot.json');

/**
 * CommonJS has no import.meta: the bundle's modules that locate files from their own URL (the
 * native addon, package.json) get the URL of the child's entry as started (process.argv[1], which
 * is in dist/daemon/ as this bundle is), read when asked, not at build time. pino's transport
 * workers are found the same way, through the paths-override object it reads for bundlers.
 */
const BANNER = `const { pathToFileURL: bundleFileUrl } = require('node:url');
const bundleImportMeta = { get url() { return bundleFileUrl(process.argv[1]).href; } };
const bundleRequire = () => require('node:module').createRequire(process.argv[1]);
globalThis.__bundlerPathsOverrides = {
  get 'thread-stream-worker'() { return bundleRequire().resolve('thread-stream/lib/worker.js'); },
  get 'pino-worker'() { return bundleRequire().resolve('pino/lib/worker.js'); },
  get 'pino/file'() { return bundleRequire().resolve('pino/file.js'); },
  get 'pino-pretty'() { return bundleRequire().resolve('pino-pretty'); },
};`;

rmSync(blob, { force: true });
rmSync(stamp, { force: true });
await build({
  entryPoints: [join(daemonDir, 'vrrp-process.js')],
  outfile: entry,
  bundle: true,
  platform: 'node',
  // A script, not a module: the snapshot builder runs the entry with a require() for Node's
  // built-ins but no module/exports objects.
  format: 'iife',
  target: 'node20',
  banner: { js: BANNER },
  define: { 'import.meta.url': 'bundleImportMeta.url' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', entry], { encoding: 'utf8' });
if (result.status === 0) {
  writeFileSync(stamp, `${JSON.stringify({ node: process.version, arch: process.arch, execPath: process.execPath })}\n`);
  console.log(`build-snapshot: ${blob}`);
} else {
  rmSync(blob, { force: true });
  console.warn(`build-snapshot: no snapshot (the VRRP child will start from its bundle): ${(result.stderr || result.error?.message || '').trim().split('\n').map((line) => line.slice(0, 200)).slice(0, 6).join(' | ')}`);
}
