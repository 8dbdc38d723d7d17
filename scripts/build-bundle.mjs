// Bundles the compiled CLI entry (dist/cli/main.js) with everything `-t` and `-d` need (option
// parsing, the config pipeline, moo, nearley) into one file, dist/cli/main.bundle.js, which
// bin/keepalived-ts loads. Loading one file instead of ~60 ES modules saves about 50 ms of CPU
// on every `-t` (bench/config-parse.mjs). The other modes (daemon, ipvs, lab, ...) stay outside:
// the bundle imports them from dist/cli/ as before, so the native addon and its paths are
// untouched. Run after tsc (`npm run build:ts` does both).
// Usage: node scripts/build-bundle.mjs [OUT_FILE]   (default dist/cli/main.bundle.js)
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'dist', 'cli');
/** Commands that go into the bundle; every other command module stays a separate import. */
const BUNDLED_COMMANDS = new Set(['./config-test.js', './dump-conf.js']);

const keepOtherCommandsOutside = {
  name: 'keep-other-commands-outside',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/[^/]+\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || args.importer !== join(cliDir, 'commands.js')) return undefined;
      // The bundle lives in dist/cli/ too, so the specifier resolves to the same file at run time.
      return BUNDLED_COMMANDS.has(args.path) ? undefined : { path: args.path, external: true };
    });
  },
};

const outfile = resolve(process.argv[2] ?? join(cliDir, 'main.bundle.js'));
await build({
  entryPoints: [join(cliDir, 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [keepOtherCommandsOutside],
  logLevel: 'warning',
});
console.log(`build-bundle: ${outfile}`);
