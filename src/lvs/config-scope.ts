// Which config diagnostics stop the checker process. keepalived's checker (-C) reads the whole
// file but only acts on global_defs, virtual_server(_group) and SSL: a broken vrrp_instance is
// the VRRP process's business, and the checker runs regardless. So an error located inside a
// VRRP-only section (or on a vrrp_* line of global_defs) does not keep our checker from starting;
// lexical errors (an unclosed brace shifts everything after it) always do.
import type { Diagnostic } from '../config/diagnostics.js';
import { LEXICAL_CODES } from '../config/codes-lexical.js';
import type { ConfigTree, SourceLocation, Statement } from '../config/tree.js';

/** Top-level blocks only the VRRP process acts on. */
const VRRP_SECTIONS = new Set([
  'vrrp_instance', 'vrrp_sync_group', 'vrrp_script', 'track_file', 'vrrp_track_file', 'vrrp_track_process',
  'garp_group', 'bfd_instance', 'static_ipaddress', 'static_routes', 'static_rules',
]);

const key = (loc: SourceLocation): string => `${loc.file}:${loc.line}`;

function addStatementLines(statement: Statement, lines: Set<string>): void {
  lines.add(key(statement.keyword.loc));
  for (const arg of statement.args) lines.add(key(arg.loc));
  for (const inner of statement.block ?? []) addStatementLines(inner, lines);
}

/** Every source line (file:line) that belongs to a VRRP-only section of the tree. */
export function vrrpOnlyLines(tree: ConfigTree): ReadonlySet<string> {
  const lines = new Set<string>();
  for (const statement of tree) {
    if (VRRP_SECTIONS.has(statement.keyword.text)) {
      addStatementLines(statement, lines);
    } else if (statement.keyword.text === 'global_defs') {
      for (const inner of statement.block ?? []) if (inner.keyword.text.startsWith('vrrp_')) addStatementLines(inner, lines);
    }
  }
  return lines;
}

/** The errors that keep the checker process from running this config. */
export function checkerBlockingErrors(tree: ConfigTree, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const vrrpLines = vrrpOnlyLines(tree);
  return diagnostics.filter((d) => d.severity === 'error' && (d.code in LEXICAL_CODES || !vrrpLines.has(`${d.file}:${d.line}`)));
}
