// The default mode (no subcommand, no -t/-d/-T): run the daemon from keepalived's flags.
import { daemonSettings } from '../daemon/daemon-settings.js';
import { runDaemon } from '../daemon/daemon.js';
import type { Command } from './commands.js';

export const daemon: Command = async (context) =>
  runDaemon(daemonSettings(context.options), { stderr: context.stderr, argv: process.argv.slice(1) });
