/** The daemon's logger: pino JSON on stdout, level from PACIFIC_LOG_LEVEL (default info). */
import { pino, type Logger } from 'pino';

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env['PACIFIC_LOG_LEVEL'] ?? 'info';
  return options.destination ? pino({ level, base: { service: 'pacific' } }, options.destination) : pino({ level, base: { service: 'pacific' } });
}
