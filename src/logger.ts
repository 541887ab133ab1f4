import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** One pino logger for the process: the HTTP layer and the services log through it. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    // Secrets never reach the logs, even if someone logs a whole request or body.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.access', '*.refresh', '*.access_token', '*.client_secret', '*.clientSecret'],
      censor: '[redacted]',
    },
  });
}
