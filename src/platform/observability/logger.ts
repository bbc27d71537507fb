// Structured JSON logs (pino) for every process, with the Temporal SDK's own logs (which carry
// the workflow id, run id and activity) routed through the same logger. `npm start` in a terminal
// writes them for a person instead (pino-pretty); everywhere else they stay JSON.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Never written to a log, wherever a caller puts them: credentials in headers, and the secret settings. */
const secretLogPaths = [
  ...['headers', '*.headers'].flatMap((at) => [`${at}.authorization`, `${at}.cookie`, `${at}["x-carrier-signature"]`]),
  ...['STAFF_TOKEN_SECRET', 'CARRIER_WEBHOOK_SECRET', 'PAYLOAD_ENCRYPTION_KEYS', 'TEMPORAL_API_KEY', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'apiKey'].flatMap((name) => [name, `*.${name}`]),
];

export function createLogger(
  component: 'api' | 'worker' | 'mailer' | 'publisher' | 'local-stack',
  level = process.env.LOG_LEVEL ?? 'info',
  /** For a person at a terminal: one short coloured line per entry, its fields below it. */
  forPerson?: { destination: NodeJS.WritableStream; colorize: boolean },
): Logger {
  const options = { base: { service: 'temporal-fulfillment', component }, level, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: secretLogPaths, censor: '(hidden)' } };
  if (!forPerson) return pino(options);
  return pino(options, pretty({ destination: forPerson.destination, colorize: forPerson.colorize, sync: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service,component' }));
}

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** What the SDK warns of that this shop does on purpose: the payment steps' worker runs no workflows (src/main/shop-worker.ts). */
const intended = new Set(['No workflows registered, not polling for workflow tasks']);

/** The SDK's logger interface over pino; hand it to Runtime.install. */
export class SdkLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[intended.has(message) ? 'debug' : pinoLevel[level]]({ ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
