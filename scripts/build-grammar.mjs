// Compiles grammar/*.ne (nearley, @preprocessor typescript) to src/config/generated/*.ts, so
// tsc type-checks the grammar's postprocessors like any other source file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const grammarDir = join(root, 'grammar');
const outDir = join(root, 'src', 'config', 'generated');
const nearleyc = join(dirname(createRequire(import.meta.url).resolve('nearley/package.json')), 'bin', 'nearleyc.js');
mkdirSync(outDir, { recursive: true });
const grammars = existsSync(grammarDir) ? readdirSync(grammarDir).filter((f) => f.endsWith('.ne')) : [];
for (const file of grammars) {
  const out = join(outDir, file.replace(/\.ne$/, '.ts'));
  execFileSync(process.execPath, [nearleyc, join(grammarDir, file), '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`build-grammar: ${out}`);
}
