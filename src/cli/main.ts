#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, isEmbeddedDefault, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { DEMO_ADMIN, DEMO_STUDENT_PASSWORD, DEMO_STUDENTS, seedDemo, shouldSeedDemo } from '../demo/seed.js';
import { AppError } from '../http/errors.js';
import { createAuthService } from '../auth/service.js';
import { createTokenService } from '../auth/tokens.js';
import { startWorkers } from '../jobs/workers.js';
import { openRuntime, type Runtime } from '../runtime.js';
import type { ZoomRuntime } from '../zoom/runtime.js';
import { startStandaloneSimulator } from '../zoom/simulator/index.js';
import type { ZoomPlan } from '../zoom/types.js';
import { startServer } from '../server.js';
import { looksLikeEmail, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from '../users/rules.js';

/** Loads config or exits with the readable list of problems. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

/** The runtime (database, Zoom, jobs, services) for one command, closed when it is done. */
async function withRuntime<T>(config: Config, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config);
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

function printBanner(config: Config, url: string, demo: boolean, zoom: ZoomRuntime) {
  const lines = [
    '',
    `  EduConnect is running at ${url}/`,
    `  API docs:  ${url}/docs`,
    `  Database:  ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`,
    `  Zoom:      ${zoom.mode === 'simulator' ? `no credentials set, using the ${zoom.describe()}` : zoom.describe()}`,
  ];
  if (demo) {
    lines.push(
      '',
      '  Demo accounts:',
      `    admin     ${DEMO_ADMIN.username} / ${DEMO_ADMIN.password}`,
      `    students  ${DEMO_STUDENTS.map((s) => s.username).join(', ')} / ${DEMO_STUDENT_PASSWORD}`,
    );
  }
  console.log(`${lines.join('\n')}\n`);
}

async function serve() {
  const config = configOrExit();
  const demo = shouldSeedDemo(config.demo, isEmbeddedDefault(config));
  const server = await startServer(config, {
    beforeListen: async (runtime) => {
      if (demo) await seedDemo(runtime.services, runtime.zoom.simulator);
    },
  });
  printBanner(config, server.url, demo, server.runtime.zoom);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.app.log.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          server.app.log.error({ err }, 'error while shutting down');
          process.exit(1);
        },
      );
    });
  }
}

const positiveRole = (value: string) => {
  if (value !== 'admin' && value !== 'student') throw new InvalidArgumentError('must be admin or student');
  return value;
};

const program = new Command('educonnect').description('EduConnect: paid live classes on Zoom webinars');

program.command('serve', { isDefault: true }).description('run the HTTP API (migrates first)').action(serve);

program
  .command('worker')
  .description('run only the job workers (emails, retention; Zoom registration later), no HTTP — start as many as you like')
  .action(async () => {
    const config = configOrExit();
    const runtime = await openRuntime(config);
    await startWorkers(runtime);
    runtime.logger.info('worker started');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void runtime.close().then(() => process.exit(0)));
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = configOrExit();
    const database = await openDatabase(config);
    try {
      const applied = await migrateToLatest(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
  });

program
  .command('create-user')
  .description('create an admin or student account')
  .addOption(new Option('--role <role>', 'admin or student').argParser(positiveRole).makeOptionMandatory())
  .requiredOption('--username <username>')
  .requiredOption('--email <email>')
  .option('--password <password>', 'the password; omit it to read the password from stdin')
  .option('--first-name <name>', 'first name', 'Admin')
  .option('--last-name <name>', 'last name', '')
  .action(async (opts: { role: 'admin' | 'student'; username: string; email: string; password?: string; firstName: string; lastName: string }) => {
    const config = configOrExit();
    let password = opts.password;
    if (password === undefined) {
      if (process.stdin.isTTY) throw new InvalidArgumentError('give --password or pipe the password on stdin');
      password = (await text(process.stdin)).replace(/\r?\n$/, '');
    }
    const problems = [
      !new RegExp(USERNAME_PATTERN).test(opts.username) && 'username: 3–150 letters, digits and _ . + -',
      !looksLikeEmail(opts.email) && 'email: not a valid address',
      (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) && `password: ${PASSWORD_MIN}–${PASSWORD_MAX} characters`,
    ].filter(Boolean);
    if (problems.length) {
      console.error(`Cannot create the user:\n  - ${problems.join('\n  - ')}`);
      process.exit(2);
    }
    await withDatabase(config, async (database) => {
      const auth = createAuthService({ db: database.db, tokens: createTokenService({ secret: config.jwtSecret, accessTtlSeconds: 60, refreshTtlSeconds: 300 }) });
      const user = await auth.createAccount({
        username: opts.username,
        email: opts.email,
        password: password!,
        first_name: opts.firstName,
        last_name: opts.lastName,
        role: opts.role,
      });
      console.log(`Created ${user.role} "${user.username}" (id ${user.id}).`);
    });
  });

program
  .command('seed-demo')
  .description('add the demo content (admin, students, classes) unless it is already there')
  .action(async () => {
    const config = configOrExit();
    await withRuntime(config, async ({ services, zoom }) => {
      const { seeded } = await seedDemo(services, zoom.simulator);
      console.log(seeded ? 'Demo content added.' : 'Demo content was already there; nothing changed.');
    });
  });

program
  .command('zoom-simulator')
  .description('run the built-in Zoom simulator on its own, to stand in for Zoom in front of another EduConnect process')
  .option('--port <port>', 'port to listen on', (v) => Number(v), 9090)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--account-id <id>', 'the account id it accepts', 'sim-account')
  .option('--client-id <id>', 'the client id it accepts', 'sim-client')
  .option('--client-secret <secret>', 'the client secret it accepts (default: random, printed)')
  .addOption(new Option('--plan <plan>', 'Zoom plan whose rate limits it enforces').choices(['free', 'pro', 'business']).default('pro'))
  .option('--rate-scale <factor>', 'multiply the plan rates (e.g. 0.1)', (v) => Number(v), 1)
  .option('--latency <ms>', 'fixed latency per API call', (v) => Number(v), 0)
  .option('--webhook-url <url>', "EduConnect's webhook URL, e.g. http://127.0.0.1:8000/zoom/webhook/")
  .option('--webhook-secret <token>', 'secret token to sign webhooks with (ZOOM_WEBHOOK_SECRET_TOKEN of EduConnect)')
  .option('--state-file <path>', 'keep webinars and registrants in this JSON file across restarts')
  .action(async (opts: { port: number; host: string; accountId: string; clientId: string; clientSecret?: string; plan: ZoomPlan; rateScale: number; latency: number; webhookUrl?: string; webhookSecret?: string; stateFile?: string }) => {
    const clientSecret = opts.clientSecret ?? randomBytes(16).toString('hex');
    const webhookSecret = opts.webhookSecret ?? randomBytes(16).toString('hex');
    const sim = await startStandaloneSimulator({
      port: opts.port,
      host: opts.host,
      accountId: opts.accountId,
      clientId: opts.clientId,
      clientSecret,
      plan: opts.plan,
      rateScale: opts.rateScale,
      latencyMs: opts.latency,
      stateFile: opts.stateFile,
      webhook: opts.webhookUrl ? { url: opts.webhookUrl, secretToken: webhookSecret } : undefined,
    });
    console.log(
      [
        '',
        `  Zoom simulator listening: API ${sim.apiBaseUrl()}, OAuth ${sim.tokenUrl()}, control ${sim.apiBaseUrl().replace(/\/v2$/, '')}/_sim/`,
        '',
        '  Point EduConnect at it with:',
        `    ZOOM_API_BASE_URL=${sim.apiBaseUrl()}`,
        `    ZOOM_OAUTH_TOKEN_URL=${sim.tokenUrl()}`,
        `    ZOOM_ACCOUNT_ID=${opts.accountId} ZOOM_CLIENT_ID=${opts.clientId} ZOOM_CLIENT_SECRET=${clientSecret}`,
        `    ZOOM_WEBHOOK_SECRET_TOKEN=${webhookSecret}`,
        opts.webhookUrl ? `  Webhooks go to ${opts.webhookUrl}` : '  No --webhook-url: set one later with POST /_sim/webhook {url, secretToken}',
        '',
      ].join('\n'),
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void sim.close().then(() => process.exit(0)));
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(`${error.message}${error.details ? ` (${error.details.map((d) => `${d.field} ${d.message}`).join('; ')})` : ''}`);
    process.exit(1);
  }
  if (error instanceof InvalidArgumentError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
