// The one pino logger factory. JSON lines by default (for files and log shippers); readable
// lines on a console (-l/--log-console, or a TTY) through pino-pretty.
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerSettings {
  readonly level?: string;
  /** Human-readable output (pino-pretty) instead of JSON lines. */
  readonly pretty?: boolean;
  /** Write to this file instead of stdout (-g/--log-file). */
  readonly file?: string;
  /** Bound to every line, e.g. { process: 'vrrp' }. */
  readonly bindings?: Record<string, unknown>;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env['KEEPALIVED_TS_LOG_LEVEL'] ?? 'info',
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination = settings.pretty
    ? pino.transport({ target: 'pino-pretty', options: { destination: settings.file ?? 1, colorize: !settings.file, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } })
    : pino.destination({ dest: settings.file ?? 1, sync: true });
  const logger = pino(options, destination);
  return settings.bindings ? logger.child(settings.bindings) : logger;
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
