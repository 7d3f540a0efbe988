/**
 * The daemon's logger: pino on stdout with ISO timestamps and string levels. `json` (one object a
 * line, for collectors) unless stdout is a terminal, where `text` (pino-pretty: time, level, message,
 * then the fields) keeps `npm start` readable; `--log-format` or PACIFIC_LOG_FORMAT decide otherwise,
 * `--log-level` or PACIFIC_LOG_LEVEL the level (default info).
 */
import { pino, stdTimeFunctions, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogOptions {
  readonly level?: string;
  readonly format?: LogFormat;
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? (process.env['PACIFIC_LOG_LEVEL'] || 'info');
  const destination = options.destination ?? process.stdout;
  const format = options.format ?? logFormatOf(process.env['PACIFIC_LOG_FORMAT']) ?? ((destination as { isTTY?: boolean }).isTTY ? 'text' : 'json');
  const settings: LoggerOptions = { level, base: { service: 'pacific' }, timestamp: stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } };
  if (format === 'json') return pino(settings, destination);
  // Synchronous, in this thread: a line is written before the process can exit, as with json. An
  // object's kind, namespace and name are in its `object` already (and pino-pretty would print `name`
  // as the logger's name).
  const pretty = PinoPretty({ destination: options.destination ?? 1, sync: true, colorize: (destination as { isTTY?: boolean }).isTTY === true && !process.env['NO_COLOR'], ignore: 'pid,hostname,service,kind,namespace,name', translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', singleLine: true });
  return pino(settings, pretty);
}

export function logFormatOf(text: string | undefined): LogFormat | undefined {
  return (LOG_FORMATS as readonly string[]).includes(text ?? '') ? (text as LogFormat) : undefined;
}
