// `-t/--config-test[=FILE]`: load the config, print every diagnostic to stderr
// (`file:line:col: severity: message [CODE]`, or JSON with --json) and exit as keepalived does.
import { CODES } from '../config/codes.js';
import { type Diagnostic, formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { Command } from './commands.js';
import type { ParsedOptions } from './options.js';

export const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';

/**
 * keepalived 2.2.7 (Debian 12) measured: 0 when nothing is reported; 5 when any configuration
 * error or warning is reported; 6 when scripts would run without enable_script_security (this
 * wins over 5). keepalived.8 documents these as 4 and 5; the binary is one higher.
 * keepalived exits 0 when the file is missing; we deliberately exit 3 ("cannot be run", as
 * keepalived.8 documents) so CI validation of a wrong path fails.
 */
export const EXIT_OK = 0;
export const EXIT_CANNOT_RUN = 3;
export const EXIT_CONFIG_ERRORS = 5;
export const EXIT_SCRIPT_SECURITY = 6;

export function configTestExitCode(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.code === 'KTS_FILE_UNREADABLE')) return EXIT_CANNOT_RUN;
  if (diagnostics.some((d) => d.code === 'KTS_SCRIPT_SECURITY')) return EXIT_SCRIPT_SECURITY;
  const reported = diagnostics.some((d) => CODES[d.code]?.keepalivedReports === true);
  return reported ? EXIT_CONFIG_ERRORS : EXIT_OK;
}

export function configFileOf(options: ParsedOptions): string {
  const test = options['configTest'];
  if (typeof test === 'string' && test !== '') return test;
  const file = options['useFile'];
  return typeof file === 'string' ? file : DEFAULT_CONFIG_FILE;
}

export const configTest: Command = async ({ options, stderr, stdout }) => {
  const { diagnostics } = loadConfig(configFileOf(options), typeof options['configId'] === 'string' ? { configId: options['configId'] } : {});
  if (options['json']) {
    stdout.write(JSON.stringify({ file: configFileOf(options), exitCode: configTestExitCode(diagnostics), diagnostics }, null, 2) + '\n');
  } else {
    for (const d of diagnostics) stderr.write(formatDiagnostic(d) + '\n');
  }
  return configTestExitCode(diagnostics);
};
