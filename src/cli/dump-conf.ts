// `-d/--dump-conf`: load the config and print the typed model as JSON on stdout (diagnostics on
// stderr). Exit status as for `-t`.
import { formatDiagnostic } from '../config/diagnostics.js';
import { loadConfig } from '../config/load.js';
import type { Command } from './commands.js';
import { configFileOf, configTestExitCode } from './config-test.js';

export const dumpConf: Command = async ({ options, stdout, stderr }) => {
  const { config, diagnostics } = loadConfig(configFileOf(options), typeof options['configId'] === 'string' ? { configId: options['configId'] } : {});
  for (const d of diagnostics) stderr.write(formatDiagnostic(d) + '\n');
  stdout.write(JSON.stringify(config, null, 2) + '\n');
  return configTestExitCode(diagnostics);
};
