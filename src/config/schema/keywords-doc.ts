// Renders docs/keywords.md from the keyword tables, so the reference can never drift from what
// the checker accepts (scripts/gen-keywords-doc.mjs writes it; a unit test checks it is current).
import { ADDRESS_WORDS } from '../values/address.js';
import { ROUTE_WORDS } from '../values/route.js';
import { RULE_WORDS } from '../values/rule.js';
import { TABLES } from './index.js';
import { absentIn227 } from './keepalived-227.js';
import type { ArgSpec, KeywordSpec, LineGrammar } from './types.js';

function describeArgs(args: ArgSpec): string {
  switch (args.kind) {
    case 'none':
      return '—';
    case 'bool':
      return '[BOOL]';
    case 'int':
      return `${args.optional ? '[' : ''}integer ${args.min}..${args.max}${args.optional ? ']' : ''}`;
    case 'seconds':
      return `${args.optional ? '[' : ''}seconds ${args.min}..${args.max}${args.optional ? ']' : ''}`;
    case 'string':
      return args.optional ? '[WORD]' : 'WORD';
    case 'enum':
      return `${args.optional ? '[' : ''}${args.values.join(' | ')}${args.optional ? ']' : ''}`;
    case 'ip':
      return 'IP';
    case 'weight':
      return `${args.min}..${args.max} [reverse]`;
    case 'words':
      if (args.first) return `${args.first.join(' | ')} [WORDS...]`;
      return args.min === 0 ? '[WORDS...]' : `WORDS... (at least ${args.min})`;
  }
}

const LINE_NAMES: Record<LineGrammar, string> = {
  address: 'address lines',
  route: 'route lines',
  rule: 'rule lines',
  name: 'one name per line',
  tracked: 'NAME [weight N [reverse]] lines',
  peer: 'IP [min_ttl N] [max_ttl N] lines',
  'vsg-entry': 'IP[-range] [PORT] | fwmark N lines',
  words: 'free-form lines',
};

function row(table: string, spec: KeywordSpec): string {
  const block = spec.block ? `{ ${spec.block} }` : spec.lines ? `{ ${LINE_NAMES[spec.lines]} }` : '';
  const aliases = (spec.aliases ?? []).map((a) => `\`${a.name}\`${a.reported ? ' (deprecated)' : ''}`).join(', ');
  const summary = spec.deprecation ? `${spec.summary} (deprecated: ${spec.deprecation})` : spec.summary;
  const cells = [`\`${spec.name}\``, [describeArgs(spec.args), block].filter((s) => s && s !== '—').join(' ') || '—', spec.defaultValue ?? '', absentIn227(table, spec.name) ? `${spec.support}, not in 2.2.7` : spec.support, aliases, summary];
  // A literal | would end a markdown table cell.
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

export function renderKeywordsDoc(): string {
  const out: string[] = [
    '# keepalived.conf keywords',
    '',
    'Generated from the keyword tables in `src/config/schema/` by `node scripts/gen-keywords-doc.mjs`;',
    'do not edit by hand (a unit test fails when this file is out of date).',
    '',
    'Support: `implemented` = keepalived-ts acts on it; `parsed` = accepted and kept in the model,',
    'reported once as `KTS_NOT_IMPLEMENTED`. `not in 2.2.7`: Debian\'s keepalived 2.2.7 rejects it',
    '(`KTS_NOT_IN_KEEPALIVED_227`). Seconds take decimals (microsecond resolution).',
    '',
  ];
  for (const table of TABLES) {
    out.push(`## ${table.name}`, '', `\`${table.header}\``, '', '| keyword | arguments | default | support | aliases | meaning |', '|---|---|---|---|---|---|');
    for (const spec of table.keywords) out.push(row(table.name, spec));
    out.push('');
  }
  out.push(
    '## Value lines',
    '',
    `Address lines: \`IP[/LEN]\` then any of ${ADDRESS_WORDS.map((w) => `\`${w}\``).join(', ')}.`,
    '',
    `Route lines: a destination prefix (or \`default\`) and any of ${ROUTE_WORDS.map((w) => `\`${w}\``).join(', ')}.`,
    '',
    `Rule lines: any of ${RULE_WORDS.map((w) => `\`${w}\``).join(', ')}.`,
    '',
  );
  return out.join('\n');
}
