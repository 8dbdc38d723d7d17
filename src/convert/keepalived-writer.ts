// Prints a KeepalivedDocument as keepalived.conf text: two-space indentation, one statement per
// line, comments above what they describe. Arguments that keepalived would otherwise split or
// cut short (spaces, `#`, `!`) are double-quoted.

import type { KeepalivedDocument, OutputStatement } from './keepalived-document.js';

const INDENT = '  ';

export function writeKeepalivedConfig(document: KeepalivedDocument): string {
  const out: string[] = document.header.map(commentLine(''));
  document.statements.forEach((item, index) => {
    if (index > 0 || out.length > 0) out.push('');
    writeStatement(item, '', out);
  });
  return `${out.join('\n')}\n`;
}

function writeStatement(item: OutputStatement, indent: string, out: string[]): void {
  out.push(...(item.comments ?? []).map(commentLine(indent)));
  const head = [item.keyword, ...item.args.map(formatArgument)].join(' ');
  if (item.block === undefined) {
    out.push(`${indent}${head}`);
    return;
  }
  out.push(`${indent}${head} {`);
  for (const inner of item.block) writeStatement(inner, indent + INDENT, out);
  out.push(`${indent}}`);
}

const commentLine = (indent: string) => (text: string): string => (text === '' ? `${indent}#` : `${indent}# ${text}`);

export function formatArgument(value: string | number): string {
  const text = String(value);
  return text === '' || /[\s#!{}"]/.test(text) ? `"${text}"` : text;
}
