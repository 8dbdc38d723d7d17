// The one-paragraph account of a conversion printed to stderr after the warnings.
import type { ConversionSummary } from './ldirectord-mapper.js';

export function formatSummary(source: string, summary: ConversionSummary): string {
  const checkers = Object.entries(summary.checkers).map(([name, count]) => `${name} x${count}`);
  const lines = [
    `converted ${source}: ${summary.virtualServers} virtual_server, ${summary.realServers} real_server, ${summary.sorryServers} sorry_server`,
    `checkers: ${checkers.length > 0 ? checkers.join(', ') : 'none'}${summary.unchecked > 0 ? ` (${summary.unchecked} real_server without a checker)` : ''}`,
    `${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}${summary.warnings > 0 ? ': review them before using the output' : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}
