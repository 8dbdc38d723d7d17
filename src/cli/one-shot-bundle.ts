// Runs the CLI for a one-shot command (`-t`) from dist/cli/one-shot.bundle.cjs: the CLI bundled as
// one CommonJS script (scripts/build-bundle.mjs), compiled with the V8 code cache kept beside it
// (one-shot.bundle*.cache), so the parser's functions are not parsed and compiled again on every
// run. An ES module cannot be given a code cache in Node 20 (no module.enableCompileCache); a
// vm.Script can. The cache is made by the build (one -t run through bin/keepalived-ts, as an
// operator starts it) and made again, best effort, by any run that finds it missing or rejected
// (another Node, other V8 flags); a read-only install then compiles as before. bin/keepalived-ts
// loads this module (built as the CommonJS dist/cli/one-shot-launch.cjs) only for -t; the bundle
// runs the whole CLI (main), so a wrong guess there still runs the right command.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { tuneV8ForOneLoad } from './one-shot-v8.js';

/** The names the bundle uses for `import.meta.url` and for `import()` (scripts/build-bundle.mjs makes it so). */
const IMPORT_META_URL = '__ktsImportMetaUrl';
const IMPORT = '__ktsImport';

type Main = (argv: readonly string[]) => Promise<number>;
type Wrapper = (
  exports: object, require: NodeRequire, module: { exports: { main?: Main } }, filename: string, dir: string,
  url: string, importModule: (specifier: string) => Promise<unknown>,
) => void;

/**
 * The code cache file of a bundle for a process started with `execArgv`. V8 accepts a cache only
 * under the flags it was made with, and bin/keepalived-ts's sh line starts -t with a young
 * generation size (--min-semi-space-size) that `node bin/keepalived-ts` does not get: each keeps a
 * file of its own, so neither rejects and rewrites the other's (a read-only install, whose cache
 * the build made through the sh line, would otherwise compile on every run started that way).
 */
export function codeCacheFileOf(bundleFile: string, execArgv: readonly string[] = process.execArgv): string {
  const young = execArgv.map((arg) => /^--min-semi-space-size=(\d+)$/.exec(arg)?.[1]).filter((size) => size !== undefined).at(-1);
  return bundleFile.replace(/\.cjs$/, young === undefined ? '.cache' : `.young${young}.cache`);
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file, so a concurrent run never reads half a cache; failures are ignored. */
function writeQuietly(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // A read-only install: every run compiles the bundle, as without a cache.
  }
}

/** Loads the bundle (with its code cache when V8 accepts it) and runs its `main` on argv. */
export async function runOneShot(bundleFile: string, argv: readonly string[]): Promise<number> {
  tuneV8ForOneLoad();
  const cacheFile = codeCacheFileOf(bundleFile);
  const cachedData = readOrUndefined(cacheFile);
  const source = `(function (exports, require, module, __filename, __dirname, ${IMPORT_META_URL}, ${IMPORT}) {${readFileSync(bundleFile, 'utf8')}\n})`;
  const script = new Script(source, { filename: bundleFile, ...(cachedData === undefined ? {} : { cachedData }) });
  const url = pathToFileURL(bundleFile).href;
  // The commands outside the bundle (ipvs, lab, ...) are ES modules beside it.
  const importModule = (specifier: string): Promise<unknown> => import(new URL(specifier, url).href);
  const module: { exports: { main?: Main } } = { exports: {} };
  (script.runInThisContext() as Wrapper)(module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile), url, importModule);
  const code = await module.exports.main!(argv);
  // Made after the run, the cache holds every function the run compiled, not only the top level.
  if (cachedData === undefined || script.cachedDataRejected === true) writeQuietly(cacheFile, script.createCachedData());
  return code;
}
