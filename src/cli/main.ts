#!/usr/bin/env node
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, isEmbeddedDefault, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { DEMO_ADMIN, DEMO_STUDENT_PASSWORD, DEMO_STUDENTS, seedDemo, shouldSeedDemo } from '../demo/seed.js';
import { AppError } from '../http/errors.js';
import { createAuthService } from '../auth/service.js';
import { createTokenService } from '../auth/tokens.js';
import { createLogger } from '../logger.js';
import { createServices, type Services } from '../services.js';
import { startZoom, type ZoomRuntime } from '../zoom/runtime.js';
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

/** Database, Zoom (the simulator keeps its state in the data dir) and services, for one command. */
async function withServices<T>(config: Config, run: (services: Services, zoom: ZoomRuntime) => Promise<T>): Promise<T> {
  return withDatabase(config, async (database) => {
    const logger = createLogger(config);
    const zoom = await startZoom(config.zoom, logger, { simulatorStateFile: join(config.dataDir, 'zoom-simulator.json') });
    try {
      return await run(createServices(config, database, { logger, zoom: zoom.client }), zoom);
    } finally {
      await zoom.close();
    }
  });
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
  let zoomSimulator: ZoomRuntime['simulator'];
  const server = await startServer(config, {
    beforeListen: async (services) => {
      if (demo) await seedDemo(services, zoomSimulator);
    },
    onZoom: (zoom) => {
      zoomSimulator = zoom.simulator;
    },
  });
  printBanner(config, server.url, demo, server.zoom);
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
    await withServices(config, async (services, zoom) => {
      const { seeded } = await seedDemo(services, zoom.simulator);
      console.log(seeded ? 'Demo content added.' : 'Demo content was already there; nothing changed.');
    });
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
