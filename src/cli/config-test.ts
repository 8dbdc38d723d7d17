// `-t/--config-test[=FILE]`: load the config (-f, default /etc/keepalived/keepalived.conf), print
// every diagnostic (`file:line:col: severity: message [CODE]`) to stderr, or append them to FILE as
// keepalived does, or print them as JSON on stdout with --json; exit as keepalived does.
import { appendFileSync } from 'node:fs';
import { CODES } from '../config/codes.js';
import { type Diagnostic, formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { Command } from './commands.js';
import type { ParsedOptions } from './options.js';
import { tuneV8ForOneLoad } from './one-shot-v8.js';

export const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';

/**
 * keepalived 2.2.7 (Debian 12) measured: 0 when nothing is reported; 5 when any configuration
 * error or warning is reported; 6 when scripts would run without enable_script_security or an
 * include check (includer/m/w/b/a, include_check) fails (this wins over 5). keepalived.8
 * documents these as 4 and 5; the binary is one higher.
 * keepalived exits 0 when the file is missing; we deliberately exit 3 ("cannot be run", as
 * keepalived.8 documents) so CI validation of a wrong path fails.
 */
export const EXIT_OK = 0;
export const EXIT_CANNOT_RUN = 3;
export const EXIT_CONFIG_ERRORS = 5;
export const EXIT_FATAL_CONFIG = 6;

export function configTestExitCode(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.code === 'KTS_FILE_UNREADABLE')) return EXIT_CANNOT_RUN;
  if (diagnostics.some((d) => d.code === 'KTS_SCRIPT_SECURITY' || d.code === 'KTS_INCLUDE_CHECK_FAILED')) return EXIT_FATAL_CONFIG;
  const reported = diagnostics.some((d) => CODES[d.code]?.keepalivedReports === true);
  return reported ? EXIT_CONFIG_ERRORS : EXIT_OK;
}

/** The config file: -f, else keepalived's default. (`-t=FILE` names the report file, not the config.) */
export function configFileOf(options: ParsedOptions): string {
  const file = options['useFile'];
  return typeof file === 'string' ? file : DEFAULT_CONFIG_FILE;
}

/** keepalived 2.2.7 appends its -t report to FILE (created mode 0600) when `-t=FILE` is given. */
function reportFileOf(options: ParsedOptions): string | undefined {
  const test = options['configTest'];
  return typeof test === 'string' && test !== '' ? test : undefined;
}

export const configTest: Command = async ({ options, stderr, stdout }) => {
  tuneV8ForOneLoad();
  const { diagnostics } = loadConfig(configFileOf(options), typeof options['configId'] === 'string' ? { configId: options['configId'] } : {});
  const exitCode = configTestExitCode(diagnostics);
  if (options['json']) {
    stdout.write(JSON.stringify({ file: configFileOf(options), exitCode, diagnostics }, null, 2) + '\n');
    return exitCode;
  }
  const report = diagnostics.map((d) => formatDiagnostic(d) + '\n').join('');
  const reportFile = reportFileOf(options);
  if (reportFile === undefined) {
    stderr.write(report);
    return exitCode;
  }
  try {
    appendFileSync(reportFile, report, { mode: 0o600 });
  } catch (error) {
    stderr.write(`keepalived-ts: cannot write the config test report to ${reportFile}: ${(error as Error).message}\n${report}`);
  }
  return exitCode;
};
