// `keepalived-ts --signum=SIGFUNC`: prints the signal number to send for STOP, RELOAD, DATA,
// STATS or JSON, as keepalived does (`kill -s $(keepalived-ts --signum=JSON) PID`).
import { signalNumberFor } from '../daemon/dump-signals.js';
import type { Command } from './commands.js';

export const signum: Command = async (context) => {
  const sigfunc = context.options['signum'];
  const result = signalNumberFor(typeof sigfunc === 'string' ? sigfunc : '');
  if (!result.ok) {
    context.stderr.write(`${result.error}\n`);
    return 1;
  }
  context.stdout.write(`${result.number}\n`);
  return 0;
};
