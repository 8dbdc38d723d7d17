// Bundles the compiled CLI entry (dist/cli/main.js) with everything `-t` and `-d` need (option
// parsing, the config pipeline, moo, nearley) into one file, dist/cli/main.bundle.js, which
// bin/keepalived-ts loads. Loading one file instead of ~60 ES modules saves about 50 ms of CPU
// on every `-t` (bench/config-parse.mjs). The other modes (daemon, ipvs, lab, ...) stay outside:
// the bundle imports them from dist/cli/ as before, so the native addon and its paths are
// untouched. Run after tsc (`npm run build:ts` does both).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
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

await build({
  entryPoints: [join(cliDir, 'main.js')],
  outfile: join(cliDir, 'main.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [keepOtherCommandsOutside],
  logLevel: 'warning',
});
console.log(`build-bundle: ${join(cliDir, 'main.bundle.js')}`);
