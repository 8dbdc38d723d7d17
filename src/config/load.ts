// parse + schema + validation → { config, diagnostics }: the one call the daemon, `-t` and `-d`
// make to read keepalived.conf.
import type { Diagnostic } from './diagnostics.js';
import type { Config, VirtualServer } from './model.js';
import { type ParseOptions, streamConfig } from './parse.js';
import { ModelBuilder } from './schema/build-model.js';
import { DiagnosticSink, StreamingTreeChecker, checkTree } from './schema/check.js';
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
  return loadStreamed(entryFile, null, options);
}

export function loadConfigText(text: string, fileName: string, options: LoadOptions = {}): LoadResult {
  return loadStreamed(fileName, text, options);
}

/**
 * loadTree's steps with the schema checks run on each top-level statement as soon as the parser
 * completes it, and each virtual_server (most of a large config) also built into its model then:
 * what is left of a block's parse tree and checked tree dies young (a large config's trees would
 * otherwise be copied by the young-generation collector and then promoted, all for nothing).
 * Diagnostics come in the same order as loadTree's: the model builder reports virtual_servers
 * last, so theirs are kept apart and put after the rest of the model's.
 */
function loadStreamed(entryFile: string, text: string | null, options: LoadOptions): LoadResult {
  const sink = new DiagnosticSink();
  const virtualServerSink = new DiagnosticSink();
  const virtualServerBuilder = new ModelBuilder(virtualServerSink);
  const virtualServers: VirtualServer[] = [];
  const checker = new StreamingTreeChecker(sink, (checked) => {
    if (checked.name !== 'virtual_server') return false;
    const server = virtualServerBuilder.virtualServer(checked);
    if (server !== undefined) virtualServers.push(server);
    return true;
  });
  const parsed = streamConfig(entryFile, text, options, (statement) => checker.add(statement));
  const config = new ModelBuilder(sink).build(checker.finish(), virtualServers);
  for (const d of virtualServerSink.diagnostics) sink.diagnostics.push(d);
  validateConfig(config, sink);
  const system = options.system === undefined ? liveSystem : options.system;
  if (system) validateSystem(config, system, sink);
  const diagnostics = parsed.diagnostics;
  for (const d of sink.diagnostics) diagnostics.push(d);
  return { config, diagnostics, files: parsed.files };
}
