// Config diagnostics: every problem found in a config file, with a stable code, where it is and
// what to do about it. Codes live in codes.ts (one registry, documented in docs/diagnostics.md).
import type { SourceLocation } from './tree.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable identifier from the registry, e.g. 'KTS_UNKNOWN_KEYWORD'. */
  readonly code: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** What to do, e.g. "did you mean `virtual_router_id`?". */
  readonly hint?: string;
}

export function diagnostic(severity: Severity, code: string, loc: SourceLocation, message: string, hint?: string): Diagnostic {
  return hint === undefined
    ? { severity, code, file: loc.file, line: loc.line, col: loc.col, message }
    : { severity, code, file: loc.file, line: loc.line, col: loc.col, message, hint };
}

/** `file:line:col: severity: message (code)` and an indented hint, like compilers print. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.code}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
