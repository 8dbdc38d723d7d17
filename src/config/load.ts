// parse + schema + validation → { config, diagnostics }: the one call the daemon, `-t` and `-d`
// make to read keepalived.conf.
import type { Diagnostic } from './diagnostics.js';
import type { Config } from './model.js';
import { type ParseOptions, parseConfig, parseConfigText } from './parse.js';
import { ModelBuilder } from './schema/build-model.js';
import { DiagnosticSink, checkTree } from './schema/check.js';
import type { ConfigTree } from './tree.js';
import { validateConfig } from './validate.js';
import { type SystemView, liveSystem, validateSystem } from './validate-system.js';

export interface LoadOptions extends ParseOptions {
  /** The machine to check interfaces and scripts against; null skips those checks. */
  readonly system?: SystemView | null;
}

export interface LoadResult {
  readonly config: Config;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly string[];
}

/** Applies the schema and the checks to an already parsed tree. */
export function loadTree(tree: ConfigTree, system: SystemView | null = liveSystem): { config: Config; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const config = new ModelBuilder(sink).build(checkTree(tree, sink));
  validateConfig(config, sink);
  if (system) validateSystem(config, system, sink);
  return { config, diagnostics: sink.diagnostics };
}

export function loadConfig(entryFile: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseConfig(entryFile, options);
  const loaded = loadTree(parsed.tree, options.system === undefined ? liveSystem : options.system);
  return { config: loaded.config, diagnostics: [...parsed.diagnostics, ...loaded.diagnostics], files: parsed.files };
}

export function loadConfigText(text: string, fileName: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseConfigText(text, fileName, options);
  const loaded = loadTree(parsed.tree, options.system === undefined ? liveSystem : options.system);
  return { config: loaded.config, diagnostics: [...parsed.diagnostics, ...loaded.diagnostics], files: parsed.files };
}
