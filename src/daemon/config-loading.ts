// Loading keepalived.conf for the daemon: the typed config, or the error diagnostics that keep it
// from running (warnings are logged but never stop the daemon, as keepalived's never do).
import { formatDiagnostic, type Diagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/model.js';

export type DaemonConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] };

export function loadDaemonConfig(file: string, configId: string | undefined): DaemonConfigResult {
  const { config, diagnostics } = loadConfig(file, configId === undefined ? {} : { configId });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config, warnings: diagnostics.filter((d) => d.severity !== 'error') };
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
