// Bundles compiled entries (tsc's dist/) into one file each with esbuild, because loading one file
// instead of dozens of ES modules is a large part of a start on a small host:
//   dist/cli/main.bundle.js               the CLI with `-t`, `-d` and the daemon's parent (bin/keepalived-ts
//                                         loads it; ~50 ms of CPU less on every `-t`, bench/config-parse.mjs)
//   dist/daemon/early-vrrp-child.bundle.js  what bin/keepalived-ts loads first on a foreground daemon start
//                                         to fork the VRRP child before the CLI bundle loads
//   dist/daemon/vrrp-process.bundle.js    the VRRP child  } forked by the supervisor when fresh
//     (+ dist/daemon/chunks/*.js: its modules reached only through import(), see SPLIT_ENTRIES)
//   dist/daemon/check-process-main.bundle.js  the checker child } (src/daemon/child-entry.ts)
//   dist/cli/one-shot.bundle.cjs          the CLI with `-t` and `-d` only, as one CommonJS script that
//     (+ one-shot.bundle.young16.cache)   bin/keepalived-ts runs for -t with a V8 code cache
//                                         (src/cli/one-shot-bundle.ts); the cache is made here by a -t run
//   dist/cli/one-shot-launch.cjs          that loader as CommonJS, so a -t never starts the ES module loader
// The other CLI commands (ipvs, lab, status, ...) stay outside the CLI bundle: it imports them from
// dist/cli/ as before. The native addon is loaded at run time from native/build (src/sys/native.ts
// walks up from the bundle's own directory, as from dist/sys/). Modules reached only through a
// dynamic import() are evaluated only when imported, as unbundled: the daemon's parent still
// evaluates the config pipeline and pino after forking its VRRP child. Run after tsc
// (`npm run build:ts` does both).
// Usage: node scripts/build-bundle.mjs [OUT_DIR]   (default dist/; files keep their dist/ paths)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const cliDir = join(dist, 'cli');
/** Commands that go into the CLI bundle; every other command module stays a separate import. */
const BUNDLED_COMMANDS = new Set(['./config-test.js', './dump-conf.js', './daemon.js']);
/** Entries bundled, by their path in dist/ (the bundle sits beside them as NAME.bundle.js). */
const ENTRIES = ['cli/main.js', 'daemon/early-vrrp-child.js', 'daemon/vrrp-process.js', 'daemon/check-process-main.js'];

/** Commands in the one-shot bundle: what -t and -d run (the daemon's parent is not one-shot). */
const ONE_SHOT_COMMANDS = new Set(['./config-test.js', './dump-conf.js']);
/** Where the one-shot bundle goes (src/cli/one-shot-bundle.ts reads it and its code cache). */
const ONE_SHOT_BUNDLE = 'cli/one-shot.bundle.cjs';
/** The loader of the one-shot bundle as bin/keepalived-ts (CommonJS) requires it. */
const ONE_SHOT_LAUNCHER = 'cli/one-shot-launch.cjs';
/** The names src/cli/one-shot-bundle.ts passes `import.meta.url` and `import()` under (IMPORT_META_URL, IMPORT there). */
const ONE_SHOT_IMPORT_META_URL = '__ktsImportMetaUrl';
const ONE_SHOT_IMPORT = '__ktsImport';

function keepOtherCommandsOutside(bundled) {
  return {
    name: 'keep-other-commands-outside',
    setup(builder) {
      builder.onResolve({ filter: /^\.\/[^/]+\.js$/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.importer !== join(cliDir, 'commands.js')) return undefined;
        // The bundle lives in dist/cli/ too, so the specifier resolves to the same file at run time.
        return bundled.has(args.path) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/**
 * Bundled CommonJS dependencies (pino, prom-client, nearley) require() Node's built-ins: an ES
 * module has no `require`, so the bundle makes one. pino's transports (pino-pretty for -l) run
 * worker files by path, which pino finds from its own directory unless told where they are through
 * the paths-override object it reads for bundlers: looked up only when a transport starts.
 */
const BANNER = `import { createRequire as bundleCreateRequire } from 'node:module';
const require = bundleCreateRequire(import.meta.url);
globalThis.__bundlerPathsOverrides = {
  get 'thread-stream-worker'() { return require.resolve('thread-stream/lib/worker.js'); },
  get 'pino-worker'() { return require.resolve('pino/lib/worker.js'); },
  get 'pino/file'() { return require.resolve('pino/file.js'); },
  get 'pino-pretty'() { return require.resolve('pino-pretty'); },
};`;

/**
 * Entries whose dynamic import()s become files of their own (esbuild's code splitting), loaded only
 * when imported: the VRRP child's start reads ~230 KB instead of ~590 KB (the config parser for
 * reloads, the status endpoint with prom-client and node:http, the IPVS client for sync daemons),
 * ~10 ms of its cold start. Their chunks go to daemon/chunks/, emptied first (names carry hashes).
 */
const SPLIT_ENTRIES = new Set(['daemon/vrrp-process.js']);
const CHUNK_DIR = 'daemon/chunks';

const outDir = resolve(process.argv[2] ?? dist);
rmSync(join(outDir, CHUNK_DIR), { recursive: true, force: true });
await Promise.all(ENTRIES.map((entry) => build({
  entryPoints: { [entry.replace(/\.js$/, '.bundle')]: join(dist, entry) },
  outdir: outDir,
  ...(SPLIT_ENTRIES.has(entry) ? { splitting: true, chunkNames: `${CHUNK_DIR}/[name]-[hash]` } : {}),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: BANNER },
  // Less source for V8 to read and pre-parse at every start; names stay, for stack traces and logs.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [keepOtherCommandsOutside(BUNDLED_COMMANDS)],
  logLevel: 'warning',
})));
const oneShot = await build({
  entryPoints: [join(dist, 'cli/main.js')],
  outfile: join(outDir, ONE_SHOT_BUNDLE),
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // A CommonJS script has no import.meta: the loader passes the bundle's URL under this name.
  define: { 'import.meta.url': ONE_SHOT_IMPORT_META_URL },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [keepOtherCommandsOutside(ONE_SHOT_COMMANDS)],
  logLevel: 'warning',
});
// Node 20 loses a vm.Script's import() callback when the script comes from a code cache, so the
// commands outside the bundle are imported through a function the loader passes in.
const oneShotText = oneShot.outputFiles[0].text.replaceAll('import("./', `${ONE_SHOT_IMPORT}("./`);
if (/\bimport\(/.test(oneShotText)) throw new Error(`build-bundle: ${ONE_SHOT_BUNDLE} still holds an import() the loader cannot serve`);
writeFileSync(join(outDir, ONE_SHOT_BUNDLE), oneShotText);
// Its import() of the commands outside the bundle stays an import(): Node 20 serves it in CommonJS.
await build({
  entryPoints: [join(dist, 'cli/one-shot-bundle.js')],
  outfile: join(outDir, ONE_SHOT_LAUNCHER),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeOneShotCodeCache();

/**
 * Makes the one-shot bundle's code cache: a -t run on a config that includes every example writes it
 * when there is none, after running, so it holds the functions a -t compiles, not only the top level.
 * The run goes through bin/keepalived-ts's sh line, as an operator's does: the cache is then made
 * under the V8 flags that line starts Node with, the only ones V8 accepts it under.
 */
function writeOneShotCodeCache() {
  const bundleDir = dirname(join(outDir, ONE_SHOT_BUNDLE));
  for (const name of readdirSync(bundleDir)) if (/^one-shot\.bundle\..*cache$/.test(name)) rmSync(join(bundleDir, name), { force: true });
  if (outDir !== dist) return; // bin/keepalived-ts runs the bundles in dist/ only
  const dir = mkdtempSync(join(tmpdir(), 'kts-build-bundle-'));
  try {
    const config = join(dir, 'keepalived.conf');
    writeFileSync(config, `include ${join(root, 'conf.examples')}/*.conf\n`);
    // Node is the one running this build, as the sh line would find it on PATH.
    const path = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
    spawnSync('/bin/sh', [join(root, 'bin', 'keepalived-ts'), '-t', '-f', config], { stdio: 'ignore', env: { ...process.env, PATH: path } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`build-bundle: ${ENTRIES.map((entry) => join(outDir, entry.replace(/\.js$/, '.bundle.js'))).join(', ')}`);
