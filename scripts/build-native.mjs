// Builds native/ with node-gyp, offline: node's headers come from the machine (Debian's nodejs
// ships them in /usr/include/node), never from a download.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodedir = [process.env.npm_config_nodedir, '/usr', dirname(dirname(process.execPath))].find(
  (dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')),
);
if (!nodedir) {
  console.error('build-native: no Node headers found (looked for include/node/node_api.h)');
  process.exit(1);
}
const npmDir = dirname(dirname(process.execPath));
const gypCandidates = [
  join(npmDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
];
const gyp = gypCandidates.find(existsSync);
if (!gyp) {
  console.error('build-native: node-gyp not found next to npm');
  process.exit(1);
}
execFileSync(process.execPath, [gyp, 'rebuild', '--loglevel=warn', `--nodedir=${nodedir}`], {
  cwd: join(root, 'native'),
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log('build-native: native/build/Release/keepalived_ts_native.node');
