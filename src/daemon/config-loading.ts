// Loading keepalived.conf for the daemon: the typed config, or the error diagnostics that keep it
// from running (warnings are logged but never stop the daemon, as keepalived's never do).
// Scripts without enable_script_security fail `-t` (exit 6, as keepalived) but, as keepalived's
// daemon does, the daemon runs them and says so: that diagnostic is a warning here.
import { formatDiagnostic, type Diagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/model.js';

/** Error codes of `-t` that keepalived's daemon itself only warns about. */
const RUNS_ANYWAY = new Set(['KTS_SCRIPT_SECURITY']);

export type DaemonConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] };

export function loadDaemonConfig(file: string, configId: string | undefined): DaemonConfigResult {
  const { config, diagnostics } = loadConfig(file, configId === undefined ? {} : { configId });
  const fatal = (d: Diagnostic): boolean => d.severity === 'error' && !RUNS_ANYWAY.has(d.code);
  const errors = diagnostics.filter(fatal);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config, warnings: diagnostics.filter((d) => !fatal(d)) };
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
