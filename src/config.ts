import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZoomPlan } from './zoom/types.js';

/**
 * Configuration is read once, at boot, from the environment into one typed object.
 * Every problem is collected so that an operator sees the whole list at once.
 */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string;
  /** Where the JWT secret came from, for the start banner (never the secret itself). */
  jwtSecretSource: 'env' | 'data-dir';
  publicUrl: string;
  logLevel: LogLevel;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Login attempts allowed per client and username per minute. */
  loginRateLimitPerMinute: number;
  maxReceiptBytes: number;
  /** Trust X-Forwarded-For (only behind a reverse proxy of ours). */
  trustProxy: boolean;
  /** Seed demo content at start: true/false forced, undefined = only on the zero-config default. */
  demo: boolean | undefined;
  zoom: ZoomConfig;
  /** SMTP server URL (smtp:// or smtps://); undefined = write .eml files into `dataDir/mail`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Read notifications older than this are deleted by the retention job. */
  notificationRetentionDays: number;
  /** Run the job workers inside `serve` (default) — `educonnect worker` runs them on their own. */
  runWorkers: boolean;
  /** Minutes between reconciliations of every upcoming webinar with Zoom. */
  reconcileIntervalMinutes: number;
}

/**
 * Real Zoom (Server-to-Server OAuth credentials) or, with none set, the built-in simulator.
 * Credentials are all-or-none: a partial set is a configuration error, never a silent fallback.
 */
export type ZoomConfig = {
  plan: ZoomPlan;
  timeoutMs: number;
  webhookSecretToken: string;
  /** The Zoom user that hosts webinars EduConnect creates: 'me', a user id or an email. */
  hostUser: string;
} & (
  | { mode: 'api'; accountId: string; clientId: string; clientSecret: string; apiBaseUrl: string; tokenUrl: string }
  | { mode: 'simulator'; simulatorPort: number }
);

const ZOOM_PLANS: readonly ZoomPlan[] = ['free', 'pro', 'business'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Small typed readers; each records a problem instead of throwing so all are reported together. */
function readers(env: Env, problems: string[]) {
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL (got protocol "${parsed.protocol}")`);
      }
    } catch {
      // Never echo a database URL: it may carry a password.
      problems.push(`${name} is not a valid URL`);
    }
    return value;
  };
  const bool = (name: string): boolean | undefined => {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
    problems.push(`${name} must be 0 or 1 (got "${value}")`);
    return undefined;
  };
  return { raw, int, url, bool };
}

/**
 * Without JWT_SECRET (embedded mode only) a random secret is generated once and kept in the
 * data dir, so tokens survive restarts and no installation shares a built-in default.
 */
function secretFile(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const r = readers(env, problems);

  const port = r.int('PORT', 8000, 0, 65535);
  const host = r.raw('HOST') ?? '0.0.0.0';
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = resolve(r.raw('EDUCONNECT_DATA_DIR') ?? './.educonnect');
  const publicUrl = r.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;

  const logLevelRaw = (r.raw('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  }

  let jwtSecret = r.raw('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }
  if (jwtSecret === undefined && databaseUrl !== undefined) {
    problems.push('JWT_SECRET is required when DATABASE_URL is set (several processes must share it)');
  }

  const config: Config = {
    port,
    host,
    databaseUrl,
    dataDir,
    jwtSecret: jwtSecret ?? '',
    jwtSecretSource: jwtSecret === undefined ? 'data-dir' : 'env',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    logLevel: logLevelRaw as LogLevel,
    accessTokenTtlSeconds: r.int('ACCESS_TOKEN_TTL_SECONDS', 300, 30, 86_400),
    refreshTokenTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 86_400, 300, 90 * 86_400),
    loginRateLimitPerMinute: r.int('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    maxReceiptBytes: r.int('MAX_RECEIPT_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    trustProxy: r.bool('TRUST_PROXY') ?? false,
    demo: r.bool('EDUCONNECT_DEMO'),
    smtpUrl: r.url('SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: r.raw('MAIL_FROM') ?? 'EduConnect <no-reply@educonnect.local>',
    notificationRetentionDays: r.int('NOTIFICATION_RETENTION_DAYS', 90, 1, 3650),
    runWorkers: r.bool('EDUCONNECT_WORKERS') ?? true,
    reconcileIntervalMinutes: r.int('RECONCILE_INTERVAL_MINUTES', 10, 1, 59),
    zoom: { mode: 'simulator', simulatorPort: 0, plan: 'pro', timeoutMs: 10_000, hostUser: 'me', webhookSecretToken: '' },
  };

  config.zoom = zoomConfig(r, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  if (jwtSecret === undefined) {
    jwtSecret = secretFile(dataDir, 'jwt-secret');
    config.jwtSecret = jwtSecret;
  }
  // The simulator signs its webhooks with a secret of our own; nothing outside this install needs it.
  if (config.zoom.mode === 'simulator' && !config.zoom.webhookSecretToken) config.zoom.webhookSecretToken = secretFile(dataDir, 'zoom-webhook-secret');
  return config;
}

function zoomConfig(r: ReturnType<typeof readers>, problems: string[]): ZoomConfig {
  const plan = (r.raw('ZOOM_PLAN') ?? 'pro').toLowerCase() as ZoomPlan;
  if (!ZOOM_PLANS.includes(plan)) problems.push(`ZOOM_PLAN must be one of ${ZOOM_PLANS.join(', ')} (got "${plan}")`);
  const timeoutMs = r.int('ZOOM_TIMEOUT_MS', 10_000, 100, 120_000);
  const credentials = { ZOOM_ACCOUNT_ID: r.raw('ZOOM_ACCOUNT_ID'), ZOOM_CLIENT_ID: r.raw('ZOOM_CLIENT_ID'), ZOOM_CLIENT_SECRET: r.raw('ZOOM_CLIENT_SECRET') };
  const given = Object.entries(credentials).filter(([, v]) => v !== undefined).map(([k]) => k);
  const apiBaseUrl = (r.url('ZOOM_API_BASE_URL', ['http:', 'https:']) ?? 'https://api.zoom.us/v2').replace(/\/+$/, '');
  const tokenUrl = r.url('ZOOM_OAUTH_TOKEN_URL', ['http:', 'https:']) ?? 'https://zoom.us/oauth/token';
  const webhookSecretToken = r.raw('ZOOM_WEBHOOK_SECRET_TOKEN');
  const hostUser = r.raw('ZOOM_HOST_USER') ?? 'me';

  if (given.length === 0) {
    return { mode: 'simulator', simulatorPort: r.int('ZOOM_SIMULATOR_PORT', 0, 0, 65535), plan, timeoutMs, hostUser, webhookSecretToken: webhookSecretToken ?? '' };
  }
  if (given.length < 3) {
    const missing = Object.keys(credentials).filter((k) => !given.includes(k));
    problems.push(`Zoom credentials are all-or-none: ${given.join(', ')} set but ${missing.join(', ')} missing (unset all three to use the built-in simulator)`);
  }
  if (!webhookSecretToken) problems.push('ZOOM_WEBHOOK_SECRET_TOKEN is required with Zoom credentials (every webhook is signature-checked)');
  return {
    mode: 'api',
    accountId: credentials.ZOOM_ACCOUNT_ID ?? '',
    clientId: credentials.ZOOM_CLIENT_ID ?? '',
    clientSecret: credentials.ZOOM_CLIENT_SECRET ?? '',
    apiBaseUrl,
    tokenUrl,
    plan,
    timeoutMs,
    hostUser,
    webhookSecretToken: webhookSecretToken ?? '',
  };
}

/** Zero-config default: embedded database and the built-in Zoom simulator. */
export function isEmbeddedDefault(config: Config): boolean {
  return config.databaseUrl === undefined && config.zoom.mode === 'simulator';
}
