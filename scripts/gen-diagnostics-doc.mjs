// Writes docs/diagnostics.md from the code registry (run `npm run build:ts` first). The examples
// below are the hand-written part; a unit test checks the page and the registry agree.
import { writeFileSync } from 'node:fs';
import { CODES } from '../dist/config/codes.js';
import { LEXICAL_CODES } from '../dist/config/codes-lexical.js';
const examples = {
  KTS_UNKNOWN_KEYWORD: ['vrrp_instance VI_1 {\n    virtual_routerid 51\n}', "unknown keyword 'virtual_routerid' in vrrp_instance — hint: did you mean `virtual_router_id`?"],
  KTS_OUT_OF_RANGE: ['priority 0', "priority: number '0' outside range [1, 255]"],
  KTS_MISSING_REQUIRED: ['vrrp_instance VI_1 {\n    interface eth0\n}', '(VI_1) the virtual router id must be set'],
  KTS_ADVERT_INT_ROUNDED: ['advert_int 0.5   # with VRRP version 2', '(VI_1) VRRPv2 advert_int 0.5s must be whole seconds; rounded to 1s'],
  KTS_EMPTY_SYNC_GROUP: ['vrrp_sync_group VG1 {\n    VI_1\n    VI_2\n}', 'sync group VG1 has no members; it is removed — hint: list members inside `group { VI_1 VI_2 }`'],
  KTS_SCRIPT_SECURITY: ['vrrp_script chk { script "/usr/bin/true" }   # no enable_script_security', 'scripts are configured but enable_script_security is not set'],
};
const out = ['# Config diagnostics', '',
 'Every problem `keepalived-ts -t -f FILE` (and the daemon) finds in a configuration is printed to stderr',
 '(appended to REPORT with `-t=REPORT`, as keepalived does) as',
 '', '```', 'FILE:LINE:COL: SEVERITY: MESSAGE [CODE]', '  hint: WHAT TO DO', '```', '',
 'or, with `--config-test --json`, as JSON objects `{ severity, code, file, line, col, message, hint }`.',
 'The codes are stable: tooling may match on them. They are registered in `src/config/codes.ts`',
 '(lexical codes in `src/config/codes-lexical.ts`); `node scripts/gen-diagnostics-doc.mjs` writes this page and a unit test checks it lists exactly those codes',
 'with the same severities.', '',
 '## Exit status of `-t`', '',
 'Measured against Debian 12\'s keepalived 2.2.7 (`keepalived -t`), which keepalived-ts copies:', '',
 '| status | when |', '|---|---|',
 '| 0 | no diagnostic that keepalived would also report (warnings and infos of keepalived-ts\'s own do not count) |',
 '| 3 | the configuration file itself cannot be read (`KTS_FILE_UNREADABLE`); deliberate difference: keepalived 2.2.7 prints "Config files missing" and exits 0 |',
 '| 5 | at least one condition keepalived reports as a configuration error (the "keepalived reports it" codes below, and lexical errors) |',
 '| 6 | scripts would run but `enable_script_security` is not set (`KTS_SCRIPT_SECURITY`); wins over 5 |', '',
 'keepalived.8 documents these as 3/4/5 ("cannot run" / "errors" / "script security"); the 2.2.7 binary exits 5 and 6 and never 3 or 4 for `-t`.', '',

 '## Codes', ''];
for (const [code, info] of Object.entries(CODES)) {
  const layer = code in LEXICAL_CODES ? 'lexical' : 'schema';
  const reports = info.keepalivedReports ? 'yes' : 'no';
  out.push(`### ${code}`, '', `Severity: ${info.severity}. Layer: ${layer}. keepalived reports it: ${reports}.`, '', info.summary, '');
  const ex = examples[code];
  if (ex) out.push('```', ex[0], '```', '', `→ ${ex[1]}`, '');
}
const target = new URL('../docs/diagnostics.md', import.meta.url);
writeFileSync(target, out.join('\n'));
console.log(`wrote ${target.pathname}`);
