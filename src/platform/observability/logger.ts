// Structured JSON logs (pino) for every process, with the Temporal SDK's own logs (which carry
// the workflow id, run id and activity) routed through the same logger.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Never written to a log, wherever a caller puts them: credentials in headers, and the secret settings. */
const secretLogPaths = [
  ...['headers', '*.headers'].flatMap((at) => [`${at}.authorization`, `${at}.cookie`, `${at}["x-carrier-signature"]`]),
  ...['STAFF_TOKEN_SECRET', 'CARRIER_WEBHOOK_SECRET', 'PAYLOAD_ENCRYPTION_KEYS', 'TEMPORAL_API_KEY', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'apiKey'].flatMap((name) => [name, `*.${name}`]),
];

export function createLogger(component: 'api' | 'worker' | 'mailer' | 'publisher' | 'local-stack', level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ base: { service: 'temporal-fulfillment', component }, level, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: secretLogPaths, censor: '(hidden)' } });
}

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The SDK's logger interface over pino; hand it to Runtime.install. */
export class SdkLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevel[level]]({ ...meta }, message);
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
