import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Sent twice by nodemailer: as a text/calendar alternative (inline invite) and as an .ics attachment. */
  icalEvent?: { filename: string; method: 'PUBLISH' | 'REQUEST'; content: string };
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message (or the .eml file is written); rejects otherwise. */
  send(message: MailMessage): Promise<{ messageId: string; location?: string }>;
  /** Where mail goes, for the start banner: never credentials. */
  describe(): string;
  close(): void;
}

/**
 * Bounded SMTP waits: a `notification.email` job expires after 120 s, and a send still hanging
 * then would overlap its own retry and could deliver the email twice.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>, logger: Logger): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : fileMailer(join(config.dataDir, 'mail'), config.mailFrom, logger);
}

function smtpMailer(url: string, from: string): Mailer {
  // Pooled: a broadcast sends many emails, and one connection per email is what SMTP servers throttle.
  const transport = nodemailer.createTransport({ pool: true, url, maxConnections: 3, ...SMTP_TIMEOUTS });
  const parsed = new URL(url);
  return {
    send: async (message) => {
      const info = await transport.sendMail({ ...message, from });
      return { messageId: info.messageId };
    },
    describe: () => `SMTP ${parsed.protocol}//${parsed.host}`,
    close: () => transport.close(),
  };
}

/**
 * Without SMTP (the zero-config run, development) every email becomes an .eml file that any mail
 * client opens. Names start with a UTC timestamp and a per-process sequence, so `ls` lists them in
 * the order they were sent.
 */
function fileMailer(dir: string, from: string, logger: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let sequence = 0;
  let ready: Promise<unknown> | undefined;
  return {
    send: async (message) => {
      const info = await transport.sendMail({ ...message, from });
      if (!Buffer.isBuffer(info.message)) throw new Error('stream transport did not buffer the message');
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      sequence = (sequence + 1) % 1_000_000;
      const path = join(dir, `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}.eml`);
      // 'wx': never overwrite an earlier email, whatever the clock does.
      await writeFile(path, info.message, { flag: 'wx' });
      logger.info({ path, messageId: info.messageId }, 'email written to file (no SMTP_URL set)');
      return { messageId: info.messageId, location: path };
    },
    describe: () => `.eml files in ${dir} (SMTP_URL not set)`,
    close: () => transport.close(),
  };
}
